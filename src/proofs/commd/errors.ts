/** Errors of CommD (unsealed sector CID) computation and sector layout. */
import { ProofsError } from '../errors.ts'

/** A sector size other than 2 KiB, 8 MiB, 512 MiB, 32 GiB or 64 GiB. */
export class SectorSizeInvalidError extends ProofsError {
  override name = 'SectorSizeInvalidError'
  constructor(size: number) {
    super('E_SECTOR_SIZE_INVALID', `sector size ${size} is not one of 2 KiB, 8 MiB, 512 MiB, 32 GiB, 64 GiB`)
  }
}

/** Pieces (with their alignment padding) that do not fit the sector. */
export class PiecesExceedSectorError extends ProofsError {
  override name = 'PiecesExceedSectorError'
  constructor(needed: number, sectorSize: number) {
    super('E_PIECES_EXCEED_SECTOR', `pieces need ${needed} padded bytes with alignment, the sector holds ${sectorSize}`)
  }
}

/** An empty piece list where at least one piece is needed. */
export class NoPiecesError extends ProofsError {
  override name = 'NoPiecesError'
  constructor() {
    super('E_NO_PIECES', 'no pieces to aggregate')
  }
}

/** More pieces than a sector can hold (one per 127 unpadded bytes, rust-fil-proofs `compute_comm_d`). */
export class TooManyPiecesError extends ProofsError {
  override name = 'TooManyPiecesError'
  constructor(count: number, max: number) {
    super('E_TOO_MANY_PIECES', `${count} pieces is more than the ${max} a sector of this size holds`)
  }
}
