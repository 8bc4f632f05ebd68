/**
 * The stacked DRG of SDR: every node has six base parents in its own layer (./bucket-graph.ts) and, from
 * layer 2 on, eight expander parents in the previous layer, given by the Feistel permutation of
 * [0, 8·nodes): parent i of node v is ⌊π(8v + i) / 8⌋ (storage-proofs-porep stacked/vanilla/graph.rs,
 * ApiVersion ≥ 1.1). Parents are computed on demand, a range at a time, so no 56-bytes-per-node parent
 * cache has to live in memory or on disk.
 */
import { createHash } from 'node:crypto'
import { BASE_DEGREE, DEGREE, EXP_DEGREE } from '../sector/params.ts'
import { BucketSampler, drgSeed, feistelKeys } from './bucket-graph.ts'
import { type Feistel, createFeistel, feistelPermute } from './feistel.ts'
import { GraphSizeInvalidError } from './errors.ts'

/** The graph of one sector size and PoRep id. */
export interface StackedGraph {
  readonly nodes: number
  readonly porepId: Uint8Array
  /** The 28-byte DRG seed. */
  readonly seed: Uint8Array
  /** The expander permutation. */
  readonly feistel: Feistel
}

const cache = new Map<string, StackedGraph>()

/** The graph for `nodes` (a power of two, ≥ 2) and a PoRep id; built once per process and cached. */
export function createStackedGraph(nodes: number, porepId: Uint8Array): StackedGraph {
  if (!Number.isSafeInteger(nodes) || nodes < 2 || nodes > 2 ** 32 || !Number.isInteger(Math.log2(nodes))) {
    throw new GraphSizeInvalidError(nodes)
  }
  const id = `${nodes}:${Buffer.from(porepId).toString('hex')}`
  const hit = cache.get(id)
  if (hit) return hit
  const graph: StackedGraph = Object.freeze({
    nodes,
    porepId: porepId.slice(),
    seed: drgSeed(porepId).slice(),
    feistel: createFeistel(nodes * EXP_DEGREE, feistelKeys(porepId)),
  })
  cache.set(id, graph)
  return graph
}

/** Writes the eight expander parents of `node` into `out` at `offset`. */
export function expanderParents(graph: StackedGraph, node: number, out: Uint32Array, offset = 0): void {
  for (let i = 0; i < EXP_DEGREE; i++) {
    out[offset + i] = Math.floor(feistelPermute(graph.feistel, node * EXP_DEGREE + i) / EXP_DEGREE)
  }
}

/**
 * The parents of nodes [start, start + count): 14 per node (six base, then eight expander) into `out`,
 * which must hold 14 × count entries. This is also the row layout of Filecoin's parent cache file.
 */
export function fillParents(graph: StackedGraph, start: number, count: number, out: Uint32Array): Uint32Array {
  const sampler = new BucketSampler(graph.seed)
  for (let i = 0; i < count; i++) {
    sampler.parents(start + i, out, DEGREE * i)
    expanderParents(graph, start + i, out, DEGREE * i + BASE_DEGREE)
  }
  return out
}

/** The 14 parents of one node. */
export function nodeParents(graph: StackedGraph, node: number): Uint32Array {
  return fillParents(graph, node, 1, new Uint32Array(DEGREE))
}

/**
 * SHA-256 of the whole parent table as little-endian u32 rows: the consistency digest rust-fil-proofs
 * records per graph in storage-proofs-porep/parent_cache.json, so the graph can be checked against it.
 */
export function parentCacheDigest(graph: StackedGraph, batch = 65536): string {
  const hash = createHash('sha256')
  const rows = new Uint32Array(DEGREE * Math.min(batch, graph.nodes))
  const bytes = new Uint8Array(rows.buffer)
  const le = new DataView(rows.buffer)
  for (let start = 0; start < graph.nodes; start += batch) {
    const count = Math.min(batch, graph.nodes - start)
    fillParents(graph, start, count, rows)
    // Rows are native-endian in memory; write them little-endian whatever the host.
    for (let i = 0; i < count * DEGREE; i++) le.setUint32(4 * i, rows[i], true)
    hash.update(bytes.subarray(0, count * DEGREE * 4))
  }
  return hash.digest('hex')
}
