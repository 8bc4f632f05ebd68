/**
 * Errors of DAG traversal and of verifying a trustless response. Each failure has its own class with a
 * stable `code`; callers and tests match on the code, never on the message.
 */
import type { CID } from 'multiformats/cid'
import { StoreError } from '../errors.ts'

/** A block the walk needs is not in the block source (404 for the root or a path block). */
export class DagBlockNotFoundError extends StoreError {
  override name = 'DagBlockNotFoundError'
  constructor(readonly cid: CID) {
    super('E_DAG_BLOCK_NOT_FOUND', `block ${cid.toString()} not found`)
  }
}

/** A path segment names nothing: no such link, directory entry or map key. */
export class DagPathNotFoundError extends StoreError {
  override name = 'DagPathNotFoundError'
  constructor(readonly segment: string, readonly at: CID) {
    super('E_DAG_PATH_NOT_FOUND', `no link named ${JSON.stringify(segment)} under ${at.toString()}`)
  }
}

/** The path ends inside a block on a value that is not a link (pathing into IPLD data is not supported: 501). */
export class DagPathUnsupportedError extends StoreError {
  override name = 'DagPathUnsupportedError'
  constructor(readonly at: CID, reason: string) {
    super('E_DAG_PATH_UNSUPPORTED', `cannot resolve the path inside ${at.toString()}: ${reason}`)
  }
}

/** A block does not decode as its codec, or its UnixFS data is malformed. */
export class DagBadBlockError extends StoreError {
  override name = 'DagBadBlockError'
  constructor(readonly cid: CID, reason: string, options?: ErrorOptions) {
    super('E_DAG_BAD_BLOCK', `block ${cid.toString()}: ${reason}`, options)
  }
}

/** A HAMT-sharded directory node breaks the UnixFS HAMT rules (hash type, fanout, link names, depth). */
export class DagHamtInvalidError extends StoreError {
  override name = 'DagHamtInvalidError'
  constructor(readonly cid: CID, reason: string) {
    super('E_DAG_HAMT_INVALID', `HAMT shard ${cid.toString()}: ${reason}`)
  }
}

/** `entity-bytes` is not `from:to` with integers (or `*` for `to`), or `to < from` with both non-negative. */
export class DagEntityBytesInvalidError extends StoreError {
  override name = 'DagEntityBytesInvalidError'
  constructor(readonly value: string) {
    super('E_DAG_ENTITY_BYTES_INVALID', `invalid entity-bytes ${JSON.stringify(value)}: expected from:to with integers or * for to`)
  }
}

/** `dag-scope` is not `block`, `entity` or `all`. */
export class DagScopeInvalidError extends StoreError {
  override name = 'DagScopeInvalidError'
  constructor(readonly value: string) {
    super('E_DAG_SCOPE_INVALID', `invalid dag-scope ${JSON.stringify(value)}: expected block, entity or all`)
  }
}

/** A response carried another block where the walk expected `expected` (Lassie's ErrUnexpectedBlock). */
export class DagUnexpectedBlockError extends StoreError {
  override name = 'DagUnexpectedBlockError'
  constructor(readonly expected: CID, readonly received: CID) {
    super('E_DAG_UNEXPECTED_BLOCK', `expected block ${expected.toString()}, received ${received.toString()}`)
  }
}

/** A response ended before the walk was complete (Lassie's ErrMissingBlock). */
export class DagMissingBlockError extends StoreError {
  override name = 'DagMissingBlockError'
  constructor(readonly expected: CID) {
    super('E_DAG_MISSING_BLOCK', `response ended before block ${expected.toString()}`)
  }
}

/** A response carried blocks after the walk was complete (Lassie's ErrExtraneousBlock). */
export class DagExtraneousBlockError extends StoreError {
  override name = 'DagExtraneousBlockError'
  constructor(readonly received: CID) {
    super('E_DAG_EXTRANEOUS_BLOCK', `response carried block ${received.toString()} after the DAG was complete`)
  }
}

/** A block's bytes do not hash to its CID. */
export class DagHashMismatchError extends StoreError {
  override name = 'DagHashMismatchError'
  constructor(readonly cid: CID) {
    super('E_DAG_HASH_MISMATCH', `block bytes do not match ${cid.toString()}`)
  }
}

/** A block's CID uses a hash function petal cannot compute, so its bytes cannot be verified. */
export class DagUnsupportedHashError extends StoreError {
  override name = 'DagUnsupportedHashError'
  constructor(readonly cid: CID, options?: ErrorOptions) {
    super('E_DAG_UNSUPPORTED_HASH', `cannot verify ${cid.toString()}: multihash 0x${cid.multihash.code.toString(16)} is not supported`, options)
  }
}

/** A received block is larger than the cap (2 MiB by default, as the trustless gateway spec advises). */
export class DagBlockTooLargeError extends StoreError {
  override name = 'DagBlockTooLargeError'
  constructor(readonly cid: CID, readonly size: number, readonly max: number) {
    super('E_DAG_BLOCK_TOO_LARGE', `block ${cid.toString()} is ${size} bytes, over the ${max}-byte cap`)
  }
}

/** The walk emitted more blocks than `maxBlocks` allows. */
export class DagTooManyBlocksError extends StoreError {
  override name = 'DagTooManyBlocksError'
  constructor(readonly max: number) {
    super('E_DAG_TOO_MANY_BLOCKS', `the DAG has more than ${max} blocks`)
  }
}
