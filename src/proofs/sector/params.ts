/**
 * Sector parameters of the stacked-DRG proofs per sector size: graph size and layers, PoRep partitions and
 * challenges, tree_r_last shape, PoSt and replica-update (snap) counts. Values are Filecoin's
 * (rust-fil-proofs filecoin-proofs/src/constants.rs, storage-proofs-update/src/constants.rs; see
 * ../shared/notes §3.1 table). petal seals and proves 2 KiB, 8 MiB and 512 MiB; 32 GiB and 64 GiB are
 * described so callers can plan, and the same code would run them given the memory.
 */
import { SectorSizeInvalidError } from '../commd/errors.ts'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

/** Bytes in one node of every sector tree and label layer. */
export const NODE_BYTES = 32
/** DRG parents per node, the immediate predecessor included (storage-proofs-core drgraph.rs BASE_DEGREE). */
export const BASE_DEGREE = 6
/** Expander parents per node from the previous layer (stacked/vanilla/graph.rs EXP_DEGREE). */
export const EXP_DEGREE = 8
/** All parents of a node in layers ≥ 2. */
export const DEGREE = BASE_DEGREE + EXP_DEGREE
/** Leaf challenges per sector in a Window PoSt (WINDOW_POST_CHALLENGE_COUNT). */
export const WINDOW_POST_CHALLENGE_COUNT = 10
/** Leaf challenges of a Winning PoSt (WINNING_POST_CHALLENGE_COUNT). */
export const WINNING_POST_CHALLENGE_COUNT = 66
/** Sectors proven by one Winning PoSt (WINNING_POST_SECTOR_COUNT). */
export const WINNING_POST_SECTOR_COUNT = 1

/** Everything the proofs need to know about one sector size. */
export interface SectorParams {
  /** Padded bytes. */
  readonly sectorSize: number
  /** 32-byte nodes: sectorSize / 32. */
  readonly nodes: number
  /** log2(nodes). */
  readonly nodesLog2: number
  /** SDR layers (2 for test sizes, 11 for 32/64 GiB). */
  readonly layers: number
  /** Interactive PoRep partitions. */
  readonly porepPartitions: number
  /** Interactive PoRep challenges per partition. */
  readonly porepChallengesPerPartition: number
  /** Arity of each tree_r_last / tree_c level, bottom up (Filecoin's oct-tree shapes (8, sub, top)). */
  readonly treeRArities: readonly number[]
  /** Sectors per Window PoSt partition (WINDOW_POST_SECTOR_COUNT). */
  readonly windowPostSectorsPerPartition: number
  /** Replica-update partitions (storage-proofs-update partition_count). */
  readonly updatePartitions: number
  /** Replica-update challenges per partition (challenge_count). */
  readonly updateChallengesPerPartition: number
  /** High bits of the node index that select rho (h_default). */
  readonly updateH: number
  /** Leaves of each partition's apex tree in an update proof (apex_leaf_count). */
  readonly updateApexLeaves: number
  /** True for the sizes petal seals in tests and benchmarks; 32/64 GiB are parameters only. */
  readonly sealable: boolean
}

function octShape(nodesLog2: number, top: number[]): number[] {
  const topBits = top.reduce((b, a) => b + Math.log2(a), 0)
  return [...new Array<number>((nodesLog2 - topBits) / 3).fill(8), ...top]
}

function params(sectorSize: number, layers: number, porep: [number, number], top: number[], windowSectors: number, sealable: boolean): SectorParams {
  const nodes = sectorSize / NODE_BYTES
  const nodesLog2 = Math.log2(nodes)
  return Object.freeze({
    sectorSize,
    nodes,
    nodesLog2,
    layers,
    porepPartitions: porep[0],
    porepChallengesPerPartition: porep[1],
    treeRArities: Object.freeze(octShape(nodesLog2, top)),
    windowPostSectorsPerPartition: windowSectors,
    updatePartitions: nodes <= 256 ? 1 : nodes <= 1024 ? 2 : nodes <= 2 ** 19 ? 4 : 16,
    updateChallengesPerPartition: nodes <= 2 ** 19 ? 10 : 86,
    updateH: nodes <= 1024 ? 1 : 10,
    updateApexLeaves: nodes <= 256 ? 8 : 128,
    sealable,
  })
}

/** The table, by padded sector size. */
export const SECTOR_PARAMS: ReadonlyMap<number, SectorParams> = new Map([
  [2 * KiB, params(2 * KiB, 2, [1, 2], [], 2, true)],
  [8 * MiB, params(8 * MiB, 2, [1, 2], [], 2, true)],
  [512 * MiB, params(512 * MiB, 2, [1, 2], [], 2, true)],
  // 32 GiB: (8, 8, 0) — eight 8-ary sub-trees under an 8-ary node, i.e. ten 8-ary levels.
  [32 * GiB, params(32 * GiB, 11, [10, 18], [], 2349, false)],
  // 64 GiB: (8, 8, 2) — sixteen 8-ary sub-trees joined by an 8-ary level and a binary top.
  [64 * GiB, params(64 * GiB, 11, [10, 18], [2], 2300, false)],
])

/** The parameters of a sector size; throws `E_SECTOR_SIZE_INVALID` for any other size. */
export function sectorParams(sectorSize: number): SectorParams {
  const p = SECTOR_PARAMS.get(sectorSize)
  if (!p) throw new SectorSizeInvalidError(sectorSize)
  return p
}

/** Parses "2KiB", "8MiB", "512MiB", "32GiB", "64GiB" (or a byte count) into a sector size. */
export function parseSectorSize(text: string): number {
  const m = /^\s*(\d+)\s*(B|KiB|MiB|GiB)?\s*$/i.exec(text)
  const unit = m?.[2]?.toLowerCase()
  const size = m ? Number(m[1]) * (unit === 'kib' ? KiB : unit === 'mib' ? MiB : unit === 'gib' ? GiB : 1) : NaN
  return sectorParams(size).sectorSize
}

/** "2KiB", "8MiB", "32GiB": the sector size as Lotus prints it. */
export function formatSectorSize(sectorSize: number): string {
  if (sectorSize >= GiB) return `${sectorSize / GiB}GiB`
  if (sectorSize >= MiB) return `${sectorSize / MiB}MiB`
  return `${sectorSize / KiB}KiB`
}
