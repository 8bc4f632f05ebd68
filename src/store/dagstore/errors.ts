/** Errors of the dagstore. */
import { StoreError } from '../errors.ts'
import type { ShardState } from './types.ts'

/** No shard under this key. */
export class ShardNotFoundError extends StoreError {
  override name = 'ShardNotFoundError'
  constructor(readonly key: string) {
    super('E_SHARD_NOT_FOUND', `shard ${key} is not registered`)
  }
}

/** A shard under this key exists already. */
export class ShardExistsError extends StoreError {
  override name = 'ShardExistsError'
  constructor(readonly key: string) {
    super('E_SHARD_EXISTS', `${key}: shard already exists`)
  }
}

/** The operation needs the shard in another state (Lotus's wording). */
export class ShardStateError extends StoreError {
  override name = 'ShardStateError'
  constructor(
    readonly key: string,
    readonly state: ShardState,
    what: string,
    expected: string,
  ) {
    super('E_SHARD_STATE', `cannot ${what} shard ${key}; expected state ${expected}, was: ${state}`)
  }
}

/** Readers still hold the shard. */
export class ShardBusyError extends StoreError {
  override name = 'ShardBusyError'
  constructor(
    readonly key: string,
    readonly refs: number,
  ) {
    super('E_SHARD_BUSY', `failed to destroy shard ${key}; active references: ${refs}`)
  }
}

/** Indexing the shard failed; the shard is now Errored with this message. */
export class ShardIndexError extends StoreError {
  override name = 'ShardIndexError'
  constructor(readonly key: string, message: string, options?: ErrorOptions) {
    super('E_SHARD_INDEX', `failed to index shard ${key}: ${message}`, options)
  }
}

/** The shard is Errored and cannot be acquired until it is recovered. */
export class ShardErroredError extends StoreError {
  override name = 'ShardErroredError'
  constructor(readonly key: string, reason: string) {
    super('E_SHARD_ERRORED', `shard ${key} is in errored state; err: ${reason}`)
  }
}

/** A mount URL names a scheme no mount type is registered for, or is malformed. */
export class UnknownMountError extends StoreError {
  override name = 'UnknownMountError'
  constructor(url: string) {
    super('E_MOUNT_UNKNOWN', `no mount type for ${url}`)
  }
}

/** The mount's bytes are gone or unreadable. */
export class MountUnavailableError extends StoreError {
  override name = 'MountUnavailableError'
  constructor(url: string, options?: ErrorOptions) {
    const cause = options?.cause instanceof Error ? `: ${options.cause.message}` : ''
    super('E_MOUNT_UNAVAILABLE', `mount ${url} is unavailable${cause}`, options)
  }
}

/** No shard holds the block. */
export class BlockNotInShardsError extends StoreError {
  override name = 'BlockNotInShardsError'
  constructor(what: string) {
    super('E_NOT_FOUND', `no shard holds ${what}`)
  }
}

/** A scanner handed the index entries out of payload order (each offset must exceed the previous one). */
export class ShardIndexOrderError extends StoreError {
  override name = 'ShardIndexOrderError'
  constructor(
    readonly offset: number,
    readonly previous: number,
  ) {
    super('E_SHARD_INDEX_ORDER', `index entry at payload offset ${offset} does not follow the previous one at ${previous}`)
  }
}

/** A block too large for the index (4 GiB or more; CAR sections are capped far below that). */
export class ShardBlockTooLargeError extends StoreError {
  override name = 'ShardBlockTooLargeError'
  constructor(
    readonly offset: number,
    readonly size: number,
  ) {
    super('E_SHARD_BLOCK_TOO_LARGE', `block at payload offset ${offset} is ${size} bytes, more than an index entry can hold`)
  }
}

/** A file registered under a piece CID is not that piece (its commP differs), so it is refused. */
export class ShardPieceMismatchError extends StoreError {
  override name = 'ShardPieceMismatchError'
  constructor(
    readonly key: string,
    readonly path: string,
    readonly actual: string,
  ) {
    super('E_SHARD_PIECE_MISMATCH', `${path} is piece ${actual}, not ${key}: register it under its own piece CID, or without a key`)
  }
}
