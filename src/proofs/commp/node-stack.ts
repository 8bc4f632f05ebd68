/**
 * The pending nodes of a tree built left to right: at most one per level, the binary decomposition of the
 * leaves seen so far. Roots of aligned subtrees are pushed at their level; the end is zero-padded with zero
 * commitments instead of hashing real zeros.
 */
import { hashNode } from '../hash/index.ts'
import { zeroCommitment } from '../piece/zero-comm.ts'

/** At most one pending node per tree level, folded as aligned subtree roots arrive in order. */
export class NodeStack {
  private pending: Array<Uint8Array | undefined> = []

  /** Pushes a subtree root at `level`; the caller guarantees its position is a multiple of its size. */
  push(node: Uint8Array, level: number): void {
    let n = node
    let l = level
    for (let left = this.pending[l]; left; left = this.pending[l]) {
      n = hashNode(left, n)
      this.pending[l] = undefined
      l++
    }
    this.pending[l] = n
  }

  /** The root of the tree of `height` levels holding the pushed nodes, zero-padded on the right. */
  root(height: number): Uint8Array {
    let node: Uint8Array | undefined
    for (let level = 0; level < height; level++) {
      const left = this.pending[level]
      if (left) node = hashNode(left, node ?? zeroCommitment(level))
      else if (node) node = hashNode(node, zeroCommitment(level))
    }
    return (node ?? this.pending[height] ?? zeroCommitment(height)).slice()
  }

  /** A copy, so a digest can be taken mid-stream without disturbing the stack. */
  clone(): NodeStack {
    const copy = new NodeStack()
    copy.pending = [...this.pending]
    return copy
  }
}
