/** Errors of the sector records and the sealed-piece locator. */
import { NodeError } from '../errors.ts'

/** A sector record that cannot be right: its pieces do not make its CommD, a bad field, or a conflicting earlier record. */
export class SectorRecordInvalidError extends NodeError {
  override name = 'SectorRecordInvalidError'
  constructor(sector: number, reason: string, options?: ErrorOptions) {
    super('E_SECTOR_RECORD_INVALID', `sector ${sector}: ${reason}`, options)
  }
}

