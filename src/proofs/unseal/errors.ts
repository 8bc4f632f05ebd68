/** Errors of unsealing. */
import { ProofsError } from '../errors.ts'

/** The data recovered from a replica does not have the CommD it must: wrong ticket, key or replica. */
export class UnsealMismatchError extends ProofsError {
  override name = 'UnsealMismatchError'
  constructor(path: string) {
    super('E_UNSEAL_MISMATCH', `the data recovered from ${path} does not have the sector's CommD (wrong ticket or CommD, or an altered replica)`)
  }
}

/** A piece range that is not whole 128-byte fr32 quads inside the sector. */
export class UnsealRangeInvalidError extends ProofsError {
  override name = 'UnsealRangeInvalidError'
  constructor(offset: number, size: number, sectorSize: number) {
    super('E_UNSEAL_RANGE_INVALID', `padded range ${offset}+${size} is not whole 128-byte quads inside a ${sectorSize}-byte sector`)
  }
}

/**
 * An updated sector whose sector key is gone and was not a CC sector: its key is the sealed replica of the
 * original data, which the labels alone cannot rebuild.
 */
export class UnsealSectorKeyRequiredError extends ProofsError {
  override name = 'UnsealSectorKeyRequiredError'
  constructor(path: string) {
    super('E_UNSEAL_SECTOR_KEY_REQUIRED', `the sector was sealed over data, not as CC: decoding its update needs the sector key replica ${path}`)
  }
}
