/** Errors of the blockstores. */
import type { CID } from 'multiformats/cid'
import { StoreError } from '../errors.ts'

/** The block is not in the store. */
export class BlockNotFoundError extends StoreError {
  override name = 'NotFoundError'
  constructor(readonly cid: CID) {
    super('E_BLOCKSTORE_NOT_FOUND', `block ${cid.toString()} not found`)
  }
}

/** A write to a read-only store. */
export class BlockstoreReadOnlyError extends StoreError {
  override name = 'BlockstoreReadOnlyError'
  constructor() {
    super('E_BLOCKSTORE_READ_ONLY', 'this blockstore is read-only')
  }
}

/** A call after `close()`. */
export class BlockstoreClosedError extends StoreError {
  override name = 'BlockstoreClosedError'
  constructor() {
    super('E_BLOCKSTORE_CLOSED', 'the blockstore is closed')
  }
}

/** A write after `finalize()`. */
export class BlockstoreFinalizedError extends StoreError {
  override name = 'BlockstoreFinalizedError'
  constructor() {
    super('E_BLOCKSTORE_FINALIZED', 'the CAR was finalized; reopen it with openReadWrite to append')
  }
}

/** A write to disk failed earlier; the store must be reopened (resumption recovers what was written). */
export class BlockstoreFailedError extends StoreError {
  override name = 'BlockstoreFailedError'
  constructor(options?: ErrorOptions) {
    super('E_BLOCKSTORE_FAILED', 'an earlier write failed; reopen the file to resume', options)
  }
}

/** An existing file does not match what resumption was asked for (roots, padding); the file is untouched. */
export class ResumeMismatchError extends StoreError {
  override name = 'ResumeMismatchError'
  constructor(message: string) {
    super('E_BLOCKSTORE_RESUME_MISMATCH', message)
  }
}

/** An existing file cannot be resumed: damaged beyond a torn tail. The file is untouched. */
export class ResumeCorruptError extends StoreError {
  override name = 'ResumeCorruptError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_BLOCKSTORE_RESUME_CORRUPT', message, options)
  }
}
