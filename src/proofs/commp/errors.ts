/** Errors of commP hashing. */
import { ProofsError } from '../errors.ts'

/** A subtree whose payload is not 127 × 2^k bytes. */
export class SubtreeLengthError extends ProofsError {
  override name = 'SubtreeLengthError'
  constructor(length: number) {
    super('E_SUBTREE_LENGTH', `a subtree payload is 127 × 2^k bytes, got ${length}`)
  }
}

/** A subtree root pushed where the stream is not aligned to its size. */
export class SubtreeMisalignedError extends ProofsError {
  override name = 'SubtreeMisalignedError'
  constructor(offset: number, length: number) {
    super('E_SUBTREE_MISALIGNED', `a subtree of ${length} payload bytes cannot start at offset ${offset}`)
  }
}
