/** Errors of client imports and ref-CARv2 files. */
import { StoreError } from '../errors.ts'

/** A reference block is not a valid DataObj. */
export class InvalidReferenceError extends StoreError {
  override name = 'InvalidReferenceError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_IMPORT_BAD_REFERENCE', message, options)
  }
}

/** The file a reference points into is gone. */
export class SourceMissingError extends StoreError {
  override name = 'SourceMissingError'
  constructor(
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super('E_IMPORT_SOURCE_MISSING', `source file ${path} is missing; the import cannot be read (re-import it)`, options)
  }
}

/** The bytes at a reference no longer hash to the leaf's CID: the file was changed after the import. */
export class SourceChangedError extends StoreError {
  override name = 'SourceChangedError'
  constructor(
    readonly path: string,
    readonly offset: number,
    options?: ErrorOptions,
  ) {
    super('E_IMPORT_SOURCE_CHANGED', `data in ${path} at offset ${offset} no longer matches the import; the file was changed (re-import it)`, options)
  }
}
