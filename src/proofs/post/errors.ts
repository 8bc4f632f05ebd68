/** Errors of Winning and Window PoSt (prover side; verification reports failures as results). */
import { ProofsError } from '../errors.ts'

/**
 * A sector that cannot be proven right now: a file is missing or short, p_aux does not give its CommR, or
 * the replica no longer matches tree_r_last. Window PoSt reports such sectors as skipped with `reason`;
 * Winning PoSt, which has exactly one sector, throws this.
 */
export class PoStSectorUnprovableError extends ProofsError {
  override name = 'PoStSectorUnprovableError'
  constructor(readonly sectorNumber: bigint, readonly reason: string, why: string, options?: ErrorOptions) {
    super('E_POST_SECTOR_UNPROVABLE', `sector ${sectorNumber} cannot be proven (${reason}): ${why}`, options)
  }
}

/** A PoSt asked for with no sectors, or with a different number of sectors than the proof type takes. */
export class PoStSectorCountError extends ProofsError {
  override name = 'PoStSectorCountError'
  constructor(what: string, expected: string, got: number) {
    super('E_POST_SECTOR_COUNT', `${what} takes ${expected} sectors, got ${got}`)
  }
}

/** A sector whose seal proof is for another sector size than the PoSt proof type. */
export class PoStSectorSizeMismatchError extends ProofsError {
  override name = 'PoStSectorSizeMismatchError'
  constructor(sectorNumber: bigint, sealProof: number, postProof: number) {
    super('E_POST_SECTOR_SIZE_MISMATCH', `sector ${sectorNumber} (seal proof ${sealProof}) is not the sector size of PoSt proof ${postProof}`)
  }
}

/** The same sector number twice in one PoSt. */
export class PoStDuplicateSectorError extends ProofsError {
  override name = 'PoStDuplicateSectorError'
  constructor(sectorNumber: bigint) {
    super('E_POST_DUPLICATE_SECTOR', `sector ${sectorNumber} is listed more than once`)
  }
}
