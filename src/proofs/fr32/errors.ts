/** Errors of fr32 padding and unpadding. */
import { ProofsError } from '../errors.ts'

/** Input whose length is not a whole number of quads (127 bytes to pad, 128 bytes to unpad). */
export class Fr32LengthError extends ProofsError {
  override name = 'Fr32LengthError'
  constructor(what: 'pad' | 'unpad', length: number) {
    const unit = what === 'pad' ? 127 : 128
    super('E_FR32_LENGTH', `fr32 ${what} needs a multiple of ${unit} bytes, got ${length}`)
  }
}

/** Padded bytes with a field element whose top two bits are set: not produced by fr32 padding. */
export class Fr32InvalidError extends ProofsError {
  override name = 'Fr32InvalidError'
  constructor(offset: number) {
    super('E_FR32_INVALID', `fr32 element at byte ${offset} has its top two bits set (not fr32-padded data)`)
  }
}

/** An output buffer too small for the result. */
export class Fr32OutputTooSmallError extends ProofsError {
  override name = 'Fr32OutputTooSmallError'
  constructor(needed: number, got: number) {
    super('E_FR32_OUTPUT_TOO_SMALL', `fr32 output needs ${needed} bytes, got ${got}`)
  }
}

/** A stream that carries more payload than the piece it was told to fill. */
export class Fr32OverflowError extends ProofsError {
  override name = 'Fr32OverflowError'
  constructor(capacity: number) {
    super('E_FR32_OVERFLOW', `input is larger than the piece's payload capacity of ${capacity} bytes`)
  }
}
