/**
 * Inclusion proofs. A proof holds the leaf and, level by level from the bottom, the arity − 1 siblings of
 * the node on the path, in index order; the position inside each group follows from the challenged leaf
 * index, which the verifier derives itself and never takes from the proof.
 */
import type { TreeHasher } from './hasher.ts'
import { type TreeShape, proofSiblings } from './shape.ts'
import { TreeIndexOutOfRangeError } from './errors.ts'

/** A leaf and its path of siblings. */
export interface InclusionProof {
  readonly leaf: Uint8Array
  /** Σ (arity − 1) × 32 bytes. */
  readonly path: Uint8Array
}

/** Bytes of an encoded proof for a shape: leaf + siblings. */
export function inclusionProofBytes(shape: TreeShape): number {
  return 32 * (1 + proofSiblings(shape))
}

/** The root a proof leads to at leaf `index`. */
export function proofRoot(shape: TreeShape, hasher: TreeHasher, index: number, proof: InclusionProof): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0 || index >= shape.leaves) throw new TreeIndexOutOfRangeError(index, shape.leaves)
  let node = proof.leaf
  let idx = index
  let at = 0
  for (const arity of shape.arities) {
    const group = new Uint8Array(32 * arity)
    const pos = idx % arity
    for (let i = 0, s = 0; i < arity; i++) {
      if (i === pos) group.set(node, 32 * i)
      else group.set(proof.path.subarray(at + 32 * s, at + 32 * ++s), 32 * i)
    }
    at += 32 * (arity - 1)
    const parent = new Uint8Array(32)
    hasher.hashGroups(group, arity, parent)
    node = parent
    idx = Math.floor(idx / arity)
  }
  return node
}

/** True when `proof` places its leaf at `index` under `root`. */
export function verifyInclusion(shape: TreeShape, hasher: TreeHasher, index: number, proof: InclusionProof, root: Uint8Array): boolean {
  if (proof.leaf.length !== 32 || proof.path.length !== 32 * proofSiblings(shape)) return false
  return equalBytes(proofRoot(shape, hasher, index, proof), root)
}

/** Constant-length byte equality. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}

/** The proof for `index` from a tree's levels held in memory (levels[0] = leaves). */
export function proofFromLevels(shape: TreeShape, levels: readonly Uint8Array[], index: number): InclusionProof {
  if (!Number.isSafeInteger(index) || index < 0 || index >= shape.leaves) throw new TreeIndexOutOfRangeError(index, shape.leaves)
  const path = new Uint8Array(32 * proofSiblings(shape))
  let idx = index
  let at = 0
  shape.arities.forEach((arity, level) => {
    const first = idx - (idx % arity)
    for (let i = 0; i < arity; i++) {
      if (first + i === idx) continue
      path.set(levels[level].subarray(32 * (first + i), 32 * (first + i + 1)), at)
      at += 32
    }
    idx = Math.floor(idx / arity)
  })
  return { leaf: levels[0].slice(32 * index, 32 * index + 32), path }
}
