/** Errors of tree building, storage and inclusion proofs. */
import { ProofsError } from '../errors.ts'

/** Arities that are not powers of two or whose product is not the leaf count. */
export class TreeShapeInvalidError extends ProofsError {
  override name = 'TreeShapeInvalidError'
  constructor(leaves: number, arities: readonly number[]) {
    super('E_TREE_SHAPE_INVALID', `arities [${arities.join(', ')}] do not make a tree of ${leaves} leaves`)
  }
}

/** Leaves pushed into a tree builder that do not add up to its shape. */
export class TreeLeavesInvalidError extends ProofsError {
  override name = 'TreeLeavesInvalidError'
  constructor(expected: number, got: number) {
    super('E_TREE_LEAVES_INVALID', `the tree takes ${expected} bytes of leaves, got ${got}`)
  }
}

/** A tree file whose size does not match its shape. */
export class TreeFileInvalidError extends ProofsError {
  override name = 'TreeFileInvalidError'
  constructor(path: string, expected: number, got: number) {
    super('E_TREE_FILE_INVALID', `tree file ${path} should be ${expected} bytes, it is ${got}`)
  }
}

/** A node index outside the tree. */
export class TreeIndexOutOfRangeError extends ProofsError {
  override name = 'TreeIndexOutOfRangeError'
  constructor(index: number, leaves: number) {
    super('E_TREE_INDEX_OUT_OF_RANGE', `leaf ${index} is outside a tree of ${leaves} leaves`)
  }
}
