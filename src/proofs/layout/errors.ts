/** Errors of the sector file layout. */
import { ProofsError } from '../errors.ts'

/** A sector file or cache file that should exist does not. */
export class SectorFileMissingError extends ProofsError {
  override name = 'SectorFileMissingError'
  constructor(readonly path: string, options?: ErrorOptions) {
    super('E_SECTOR_FILE_MISSING', `sector file ${path} does not exist`, options)
  }
}

/** A sector file shorter than its sector size or layout says. */
export class SectorFileShortError extends ProofsError {
  override name = 'SectorFileShortError'
  constructor(readonly path: string, needed: number) {
    super('E_SECTOR_FILE_SHORT', `sector file ${path} ends before byte ${needed}`)
  }
}

/** A sector file of the wrong size. */
export class SectorFileSizeError extends ProofsError {
  override name = 'SectorFileSizeError'
  constructor(readonly path: string, expected: number, got: number) {
    super('E_SECTOR_FILE_SIZE', `sector file ${path} is ${got} bytes, expected ${expected}`)
  }
}

/** A p_aux or t_aux file that cannot be read as one. */
export class SectorAuxInvalidError extends ProofsError {
  override name = 'SectorAuxInvalidError'
  constructor(readonly path: string, why: string, options?: ErrorOptions) {
    super('E_SECTOR_AUX_INVALID', `${path}: ${why}`, options)
  }
}
