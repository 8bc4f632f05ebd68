/** What every sealing phase derives from a sector reference: parameters, shapes, graph, paths. */
import { createStackedGraph, type StackedGraph } from '../graph/stacked-graph.ts'
import { type SectorPaths, type SectorStore, sectorPaths } from '../layout/paths.ts'
import { resolveKernels } from '../kernels/backend.ts'
import type { SealingKernels } from '../kernels/types.ts'
import { sha256TreeHasher, type TreeHasher } from '../merkle/hasher.ts'
import { type TreeShape, binaryShape, createShape, defaultStoreFrom } from '../merkle/shape.ts'
import type { SectorParams } from '../sector/params.ts'
import { porepId, sealProofParams } from '../sector/proof-types.ts'
import type { SectorRef } from './types.ts'

/** Nodes read, hashed and written per step of a streaming phase: 1 MiB. */
export const CHUNK_NODES = 1 << 15

/** Shapes and store-from levels of a sector's trees. */
export interface SectorTrees {
  readonly treeD: TreeShape
  /** tree_c and tree_r_last (same shape). */
  readonly treeR: TreeShape
  readonly treeRLastStoreFrom: number
}

/** The trees of a sector size. */
export function sectorTrees(params: SectorParams): SectorTrees {
  const treeR = createShape(params.nodes, params.treeRArities)
  return { treeD: binaryShape(params.nodes), treeR, treeRLastStoreFrom: defaultStoreFrom(treeR) }
}

/** A phase's working set. */
export interface SealContext {
  readonly params: SectorParams
  readonly trees: SectorTrees
  readonly paths: SectorPaths
  readonly porepId: Uint8Array
  readonly kernels: SealingKernels
  readonly hasher: TreeHasher
}

/** The working set of `sector` in `store`. */
export function sealContext(store: SectorStore, sector: SectorRef, kernels?: SealingKernels): SealContext {
  const params = sealProofParams(sector.proofType)
  const k = resolveKernels(kernels)
  return {
    params,
    trees: sectorTrees(params),
    paths: sectorPaths(store, sector.id),
    porepId: porepId(sector.proofType),
    kernels: k,
    hasher: sha256TreeHasher(k),
  }
}

/** The stacked graph of a context (built once per size and proof type). */
export function contextGraph(ctx: SealContext): StackedGraph {
  return createStackedGraph(ctx.params.nodes, ctx.porepId)
}

/** Lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Bytes from hex. */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'))
}
