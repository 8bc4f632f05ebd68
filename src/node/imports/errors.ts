/** Errors of the import manager. */
import { NodeError } from '../errors.ts'

/** No import has this id (or root). */
export class ImportNotFoundError extends NodeError {
  override name = 'ImportNotFoundError'
  constructor(what: string) {
    super('E_IMPORT_NOT_FOUND', `no import ${what}`)
  }
}

/** A `--car` input that petal cannot import as it is. */
export class ImportBadCarError extends NodeError {
  override name = 'ImportBadCarError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_IMPORT_BAD_CAR', message, options)
  }
}
