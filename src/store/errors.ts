/**
 * Base class of every error the store layer throws. Subclasses set `name` as a string literal (minified
 * builds rename classes) and pass a stable `code` such as `E_CAR_BAD_PRAGMA`; callers and tests match on
 * `code`, never on the message.
 */
export class StoreError extends Error {
  override name = 'StoreError'
  readonly code: string

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}
