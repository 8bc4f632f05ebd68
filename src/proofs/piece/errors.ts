/** Errors about piece sizes, payload sizes and piece CIDs. */
import { ProofsError } from '../errors.ts'

/** A padded piece size that is not a power of two. */
export class PieceSizeNotPowerOfTwoError extends ProofsError {
  override name = 'PieceSizeNotPowerOfTwoError'
  constructor(size: number) {
    super('E_PIECE_SIZE_NOT_POWER_OF_TWO', `padded piece size ${size} is not a power of two`)
  }
}

/** A padded piece size below 128 bytes (the smallest piece: one fr32 quad). */
export class PieceSizeTooSmallError extends ProofsError {
  override name = 'PieceSizeTooSmallError'
  constructor(size: number, min: number) {
    super('E_PIECE_SIZE_TOO_SMALL', `piece size ${size} is below the minimum of ${min} bytes`)
  }
}

/** A padded piece size above 64 GiB, the largest sector (and the largest tree the proofs support). */
export class PieceSizeTooLargeError extends ProofsError {
  override name = 'PieceSizeTooLargeError'
  constructor(size: number, max: number) {
    super('E_PIECE_SIZE_TOO_LARGE', `piece size ${size} is above the maximum of ${max} bytes (64 GiB padded)`)
  }
}

/** An unpadded piece size that is not 127 × 2^k bytes. */
export class UnpaddedPieceSizeInvalidError extends ProofsError {
  override name = 'UnpaddedPieceSizeInvalidError'
  constructor(size: number) {
    super('E_UNPADDED_PIECE_SIZE_INVALID', `unpadded piece size ${size} is not 127 × 2^k bytes (k ≥ 0)`)
  }
}

/** A payload with no bytes: there is nothing to commit to. */
export class PayloadEmptyError extends ProofsError {
  override name = 'PayloadEmptyError'
  constructor() {
    super('E_PAYLOAD_EMPTY', 'payload is empty')
  }
}

/** A payload below 65 bytes, the smallest a v1 piece CID (commP) may commit to. */
export class PayloadTooSmallError extends ProofsError {
  override name = 'PayloadTooSmallError'
  constructor(size: number, min: number) {
    super('E_PAYLOAD_TOO_SMALL', `payload of ${size} bytes is below the minimum of ${min} bytes for a v1 piece CID`)
  }
}

/** A payload that does not fit a 64 GiB piece after fr32 padding. */
export class PayloadTooLargeError extends ProofsError {
  override name = 'PayloadTooLargeError'
  constructor(size: number, max: number) {
    super('E_PAYLOAD_TOO_LARGE', `payload of ${size} bytes is above the maximum of ${max} bytes (a 64 GiB piece)`)
  }
}

/** A size that is not a whole number of bytes. */
export class SizeInvalidError extends ProofsError {
  override name = 'SizeInvalidError'
  constructor(what: string, value: unknown) {
    super('E_SIZE_INVALID', `${what} must be a non-negative safe integer, got ${typeof value === 'number' ? value : typeof value}`)
  }
}

/** A CID that is not a piece CID of the expected form (codec, multihash, digest length). */
export class PieceCidInvalidError extends ProofsError {
  override name = 'PieceCidInvalidError'
  constructor(reason: string, options?: ErrorOptions) {
    super('E_PIECE_CID_INVALID', `not a valid piece CID: ${reason}`, options)
  }
}

/** A 32-byte commitment (tree root) of the wrong length. */
export class CommitmentInvalidError extends ProofsError {
  override name = 'CommitmentInvalidError'
  constructor(length: number) {
    super('E_COMMITMENT_INVALID', `a commitment is 32 bytes, got ${length}`)
  }
}
