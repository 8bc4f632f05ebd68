/**
 * The cache's small files. `p_aux` is comm_c ‖ comm_r_last, 64 bytes, as rust-fil-proofs persists
 * `PersistentAux`; PoSt needs nothing else from the sealing besides tree_r_last. `t_aux` is petal's JSON
 * record of how the cache was made (replica id, CommD, tree layouts), which lets a phase that is run again
 * tell its own earlier output from stale files.
 */
import { readWholeFile, writeFileAtomic } from './atomic.ts'
import type { SectorFs } from './fs.ts'
import { SectorAuxInvalidError } from './errors.ts'

/** The commitments kept after sealing. */
export interface PersistentAux {
  commC: Uint8Array
  commRLast: Uint8Array
}

/** Writes p_aux. */
export function writePAux(fs: SectorFs, path: string, aux: PersistentAux): void {
  const bytes = new Uint8Array(64)
  bytes.set(aux.commC, 0)
  bytes.set(aux.commRLast, 32)
  writeFileAtomic(fs, path, bytes)
}

/** Reads p_aux; throws `E_SECTOR_FILE_MISSING` or `E_SECTOR_AUX_INVALID`. */
export function readPAux(fs: SectorFs, path: string): PersistentAux {
  const bytes = readWholeFile(fs, path)
  if (bytes.length !== 64) throw new SectorAuxInvalidError(path, `p_aux is 64 bytes, got ${bytes.length}`)
  return { commC: bytes.slice(0, 32), commRLast: bytes.slice(32, 64) }
}

/** What t_aux records (hex strings for bytes). */
export interface TemporaryAux {
  version: 1
  /** 'seal' for a sealed sector's cache, 'update' for an update-cache. */
  kind: 'seal' | 'update'
  sealProof: number
  sectorSize: number
  layers: number
  replicaId: string
  /** CommD of the data in the replica (the new data's for an update). */
  commD: string
  /** First stored level of each tree file. */
  treeDStoreFrom: number
  treeCStoreFrom: number
  treeRLastStoreFrom: number
  /** For updates: the sector key's CommR and the h used for rho. */
  commROld?: string
  updateH?: number
}

/** Writes t_aux. */
export function writeTAux(fs: SectorFs, path: string, aux: TemporaryAux): void {
  writeFileAtomic(fs, path, new TextEncoder().encode(`${JSON.stringify(aux, null, 2)}\n`))
}

/** Reads t_aux; throws `E_SECTOR_FILE_MISSING` or `E_SECTOR_AUX_INVALID`. */
export function readTAux(fs: SectorFs, path: string): TemporaryAux {
  const bytes = readWholeFile(fs, path)
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch (err) {
    throw new SectorAuxInvalidError(path, 't_aux is not JSON', { cause: err })
  }
  const v = value as Partial<TemporaryAux>
  const ints = [v.sealProof, v.sectorSize, v.layers, v.treeDStoreFrom, v.treeCStoreFrom, v.treeRLastStoreFrom]
  if (
    v?.version !== 1 ||
    (v.kind !== 'seal' && v.kind !== 'update') ||
    !ints.every((n) => Number.isSafeInteger(n) && (n as number) >= 0) ||
    typeof v.replicaId !== 'string' ||
    !/^[0-9a-f]{64}$/.test(v.replicaId) ||
    typeof v.commD !== 'string' ||
    !/^[0-9a-f]{64}$/.test(v.commD)
  ) {
    throw new SectorAuxInvalidError(path, 't_aux does not describe a petal sector cache')
  }
  return v as TemporaryAux
}
