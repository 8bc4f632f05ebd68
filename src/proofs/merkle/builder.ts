/**
 * Builds a tree from its leaves pushed in order, in pieces of any size, with memory bounded by a few batches
 * per level. Every level at or above `storeFrom` is handed to `sink` as it is produced (the tree file
 * writer, or memory); hashing happens a batch of parents at a time so the native kernels see large calls.
 */
import type { TreeHasher } from './hasher.ts'
import { type TreeShape, levelSizes } from './shape.ts'
import { TreeLeavesInvalidError } from './errors.ts'

/** Receives nodes of a stored level: `nodes` starts at node `index` of `level`. Must copy what it keeps. */
export type TreeSink = (level: number, index: number, nodes: Uint8Array) => void

/** Parents hashed per call at most. */
const BATCH_PARENTS = 8192

/** A tree under construction. */
export class TreeBuilder {
  private readonly sizes: number[]
  private readonly pending: Uint8Array[]
  private readonly fill: number[]
  private readonly scratch: Uint8Array[]
  private readonly written: number[]
  private root: Uint8Array | null = null

  constructor(
    readonly shape: TreeShape,
    private readonly hasher: TreeHasher,
    private readonly storeFrom: number,
    private readonly sink: TreeSink | null,
  ) {
    this.sizes = levelSizes(shape)
    this.pending = []
    this.scratch = []
    this.fill = []
    this.written = new Array<number>(this.sizes.length).fill(0)
    for (let l = 0; l < shape.arities.length; l++) {
      const parents = Math.min(BATCH_PARENTS, this.sizes[l + 1])
      this.pending.push(new Uint8Array(32 * parents * shape.arities[l]))
      this.scratch.push(new Uint8Array(32 * parents))
      this.fill.push(0)
    }
  }

  /** Appends leaves (a whole number of 32-byte nodes). */
  push(leaves: Uint8Array): void {
    if (leaves.length % 32 !== 0 || this.written[0] + leaves.length / 32 > this.shape.leaves) {
      throw new TreeLeavesInvalidError(32 * this.shape.leaves, 32 * this.written[0] + leaves.length)
    }
    this.pushLevel(0, leaves)
  }

  /** Completes the tree and returns its root; throws when fewer leaves than the shape were pushed. */
  finish(): Uint8Array {
    if (this.written[0] !== this.shape.leaves) throw new TreeLeavesInvalidError(32 * this.shape.leaves, 32 * this.written[0])
    for (let l = 0; l < this.pending.length; l++) if (this.fill[l] > 0) this.flush(l)
    return this.root!
  }

  private pushLevel(level: number, nodes: Uint8Array): void {
    if (level >= this.storeFrom && this.sink) this.sink(level, this.written[level], nodes)
    this.written[level] += nodes.length / 32
    if (level === this.sizes.length - 1) {
      this.root = nodes.slice(0, 32)
      return
    }
    const buf = this.pending[level]
    let at = 0
    // Whole batches straight from the input, without copying.
    if (this.fill[level] === 0) {
      while (nodes.length - at >= buf.length) {
        this.hash(level, nodes.subarray(at, at + buf.length))
        at += buf.length
      }
    }
    while (at < nodes.length) {
      const take = Math.min(buf.length - this.fill[level], nodes.length - at)
      buf.set(nodes.subarray(at, at + take), this.fill[level])
      this.fill[level] += take
      at += take
      if (this.fill[level] === buf.length) this.flush(level)
    }
  }

  private flush(level: number): void {
    const bytes = this.fill[level]
    this.fill[level] = 0
    this.hash(level, this.pending[level].subarray(0, bytes))
  }

  private hash(level: number, children: Uint8Array): void {
    const arity = this.shape.arities[level]
    const out = this.scratch[level].subarray(0, children.length / arity)
    this.hasher.hashGroups(children, arity, out)
    this.pushLevel(level + 1, out)
  }
}

/** All levels of a small tree, in memory: levels[0] are the leaves, the last level is the root. */
export function buildTreeLevels(leaves: Uint8Array, shape: TreeShape, hasher: TreeHasher): Uint8Array[] {
  const levels = levelSizes(shape).map((n) => new Uint8Array(32 * n))
  const builder = new TreeBuilder(shape, hasher, 0, (level, index, nodes) => levels[level].set(nodes, 32 * index))
  builder.push(leaves)
  builder.finish()
  return levels
}
