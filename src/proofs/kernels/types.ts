/**
 * The hot loops of sealing and proving, behind one interface so the native library can take them over. The
 * TypeScript implementation (./typescript.ts) is the reference; the native one (src/node/runtime/native)
 * must produce identical bytes for identical inputs, and the tests run both.
 */
import type { StackedGraph } from '../graph/stacked-graph.ts'

/** Field elements of a replica update: the rho values (or their inverses) for each high-bits bucket. */
export interface UpdateRhos {
  /** 32-byte little-endian canonical field elements, one per bucket: 2^h × 32 bytes. */
  readonly values: Uint8Array
  /** A node's bucket is its index shifted right by this many bits (log2(nodes) − h). */
  readonly shift: number
}

/** The kernels. Lengths are checked by the caller (sealing code) and again by the native wrapper. */
export interface SealingKernels {
  /** 'typescript' or 'native:<sha>'. */
  readonly name: string
  /**
   * Labels nodes [start, start + count) of `layer` (1-based) into `labels`, the whole layer (32 × nodes
   * bytes) of which nodes before `start` are already labelled; `prev` is the previous layer from layer 2.
   */
  labelRange(graph: StackedGraph, replicaId: Uint8Array, layer: number, labels: Uint8Array, prev: Uint8Array | null, start: number, count: number): void
  /** Hashes `output.length / 32` groups of `arity` consecutive 32-byte nodes: trunc254(SHA-256(group)). */
  hashGroups(input: Uint8Array, arity: number, output: Uint8Array): void
  /** Column hashes: output node i = trunc254(SHA-256(layers[0][i] ‖ … ‖ layers[L−1][i])). */
  hashColumns(layers: readonly Uint8Array[], output: Uint8Array): void
  /** out = a + b mod r, node by node (replica = data + key). */
  addNodes(a: Uint8Array, b: Uint8Array, out: Uint8Array): void
  /** out = a − b mod r, node by node (data = replica − key). */
  subNodes(a: Uint8Array, b: Uint8Array, out: Uint8Array): void
  /**
   * Replica update over nodes [first, first + n): out = key + data · rho(node) mod r, where `key` is the
   * sector-key replica. With inverse rhos and `key` as the subtrahend, `updateDecode` recovers the data.
   */
  updateEncode(key: Uint8Array, data: Uint8Array, out: Uint8Array, rhos: UpdateRhos, first: number): void
  /** out = (replica − key) · rhoInv(node) mod r: the data back from an updated replica and its sector key. */
  updateDecode(replica: Uint8Array, key: Uint8Array, out: Uint8Array, rhoInvs: UpdateRhos, first: number): void
  /** out = replica − data · rho(node) mod r: the sector key back from an updated replica and its data. */
  updateRemoveData(replica: Uint8Array, data: Uint8Array, out: Uint8Array, rhos: UpdateRhos, first: number): void
  /**
   * Optional hint for a large buffer just allocated and not yet written, such as a label layer: the native
   * kernels ask the OS for huge pages (fewer page faults on first touch, fewer TLB misses on random reads).
   * It never changes any result.
   */
  adviseLargeBuffer?(buffer: Uint8Array): void
}
