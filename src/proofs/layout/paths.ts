/**
 * Where a sector's files live, as Lotus lays out a storage path: `sealed/<name>` (the replica),
 * `cache/<name>/` (labels, trees, p_aux, t_aux), `unsealed/<name>` (the fr32-padded data),
 * `update/<name>` and `update-cache/<name>/` for a replica update (snap deals). `<name>` is
 * `s-t0<miner>-<number>`. Cache file names are rust-fil-proofs' (`sc-02-data-*.dat`, `p_aux`, `t_aux`).
 */
import { type SectorId, sectorName } from '../sector/sector-id.ts'
import type { SectorFs } from './fs.ts'
import { joinPath } from './fs.ts'

/** A storage path and the file system it is on. */
export interface SectorStore {
  readonly root: string
  readonly fs: SectorFs
}

/** Folder names under a storage path (Lotus storiface `FileType`s). */
export const SECTOR_FOLDERS = ['unsealed', 'sealed', 'cache', 'update', 'update-cache'] as const

/** Cache file names. */
export const CACHE_FILES = {
  treeD: 'sc-02-data-tree-d.dat',
  treeC: 'sc-02-data-tree-c.dat',
  treeRLast: 'sc-02-data-tree-r-last.dat',
  pAux: 'p_aux',
  tAux: 't_aux',
} as const

/** The label layer file of layer `layer` (1-based). */
export function layerFileName(layer: number): string {
  return `sc-02-data-layer-${layer}.dat`
}

/** The paths of one sector. */
export interface SectorPaths {
  readonly unsealed: string
  readonly sealed: string
  readonly cache: string
  readonly update: string
  readonly updateCache: string
}

/** A store over `root` (created on first write) with the given file system. */
export function createSectorStore(root: string, fs: SectorFs): SectorStore {
  return Object.freeze({ root: root.replace(/\/+$/, '') || '/', fs })
}

/** The paths of a sector in a store. */
export function sectorPaths(store: SectorStore, id: SectorId): SectorPaths {
  const name = sectorName(id)
  return Object.freeze({
    unsealed: joinPath(store.root, 'unsealed', name),
    sealed: joinPath(store.root, 'sealed', name),
    cache: joinPath(store.root, 'cache', name),
    update: joinPath(store.root, 'update', name),
    updateCache: joinPath(store.root, 'update-cache', name),
  })
}
