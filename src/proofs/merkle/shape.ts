/**
 * Tree shapes: how many leaves, and the arity of each level from the leaves up. tree_d is binary;
 * tree_c and tree_r_last follow Filecoin's oct-tree shapes ((8, 0, 0) up to 512 MiB, (8, 8, 0) for 32 GiB,
 * (8, 8, 2) for 64 GiB), which is a list of 8s with an optional binary top here.
 */
import { TreeShapeInvalidError } from './errors.ts'

/** The shape of a tree. */
export interface TreeShape {
  readonly leaves: number
  /** Arity of each level, bottom up; their product is `leaves`. */
  readonly arities: readonly number[]
}

/** A shape, checked: every arity a power of two ≥ 2 and their product equal to `leaves`. */
export function createShape(leaves: number, arities: readonly number[]): TreeShape {
  let product = 1
  for (const a of arities) {
    if (!Number.isInteger(a) || a < 2 || (a & (a - 1)) !== 0) throw new TreeShapeInvalidError(leaves, arities)
    product *= a
  }
  if (product !== leaves) throw new TreeShapeInvalidError(leaves, arities)
  return Object.freeze({ leaves, arities: Object.freeze([...arities]) })
}

/** The binary shape over `leaves` (a power of two). */
export function binaryShape(leaves: number): TreeShape {
  const height = Math.log2(leaves)
  if (!Number.isInteger(height)) throw new TreeShapeInvalidError(leaves, [2])
  return createShape(leaves, new Array<number>(height).fill(2))
}

/** Nodes in each level: [leaves, …, 1]. */
export function levelSizes(shape: TreeShape): number[] {
  const sizes = [shape.leaves]
  for (const a of shape.arities) sizes.push(sizes[sizes.length - 1] / a)
  return sizes
}

/** Levels above the leaves (the number of arities). */
export function treeHeight(shape: TreeShape): number {
  return shape.arities.length
}

/** Siblings in an inclusion proof: Σ (arity − 1). */
export function proofSiblings(shape: TreeShape): number {
  return shape.arities.reduce((n, a) => n + a - 1, 0)
}

/** Leaves under one node of `level`: the product of the arities below it. */
export function leavesPerNode(shape: TreeShape, level: number): number {
  let n = 1
  for (let l = 0; l < level; l++) n *= shape.arities[l]
  return n
}

/**
 * Where stored levels [storeFrom, top] sit in a tree file: the byte offset of each stored level, and the
 * file size. Levels below `storeFrom` are regenerated from the leaves when a proof needs them.
 */
export function fileLayout(shape: TreeShape, storeFrom: number): { offsets: number[]; size: number } {
  const sizes = levelSizes(shape)
  if (!Number.isInteger(storeFrom) || storeFrom < 0 || storeFrom >= sizes.length) throw new TreeShapeInvalidError(shape.leaves, shape.arities)
  const offsets: number[] = []
  let at = 0
  for (let l = 0; l < sizes.length; l++) {
    offsets.push(l < storeFrom ? -1 : at)
    if (l >= storeFrom) at += 32 * sizes[l]
  }
  return { offsets, size: at }
}

/**
 * Filecoin's rows to discard for a cached tree_r_last: two levels above the leaves for oct-trees (so a
 * proof re-reads 8^3 = 512 leaves), never the root. Returns the first stored level.
 */
export function defaultStoreFrom(shape: TreeShape): number {
  return Math.min(3, shape.arities.length)
}
