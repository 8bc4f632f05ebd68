/**
 * Base class of every error the proofs layer throws. Subclasses set `name` as a string literal and pass a
 * stable `code` such as `E_PIECE_SIZE_NOT_POWER_OF_TWO`; callers and tests match on `code`.
 */
export class ProofsError extends Error {
  override name = 'ProofsError'
  readonly code: string

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
