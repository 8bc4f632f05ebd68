/** Types of the dagstore: shards over pieces, their states, mounts and index entries. */
import type { CID } from 'multiformats/cid'
import type { EntryBatch } from './entry-batch.ts'

/** go-dagstore's shard states, named exactly as lotus-miner prints them. */
export type ShardState =
  | 'ShardStateNew'
  | 'ShardStateInitializing'
  | 'ShardStateAvailable'
  | 'ShardStateServing'
  | 'ShardStateRecovering'
  | 'ShardStateErrored'

/** What `Filecoin.DagstoreListShards` returns per shard (Lotus's `DagstoreShardInfo`), plus petal's extras. */
export interface ShardInfo {
  Key: string
  State: ShardState
  Error: string
}

/** A shard as stored. */
export interface ShardRecord {
  id: number
  key: string
  mountUrl: string
  state: ShardState
  error: string
  lazy: boolean
  /** Readers holding the shard (Serving while > 0); not persisted across restarts. */
  refs: number
  /** Where the CARv1 payload starts in the mount (0 for a CARv1 piece, the CARv2 data offset otherwise). */
  dataOffset: number
  /** Index entries, once initialized. */
  entries: number
  registeredAt: string
  indexedAt: string | null
}

/** What a mount says about its backing bytes. */
export interface MountStat {
  exists: boolean
  /** Bytes readable. */
  size: number
  /** True when the bytes can be read now; false when they must be unsealed first. */
  ready: boolean
}

/** Random access to a mount's bytes; `close` releases the handle. */
export interface MountReader {
  readonly size: number
  /** Reads exactly `length` bytes at `offset` (fewer only at the end of the data). */
  readAt(offset: number, length: number): Uint8Array
  /** Reads into `target` at `position` without allocating; returns the bytes read (fewer only at the end). */
  readInto?(target: Uint8Array, position: number): number
  /** The backing file, when the bytes are a plain file (lets the HTTP edge send it with sendfile). */
  readonly path?: string
  /** Streams `[offset, offset + length)` in chunks. */
  stream(offset?: number, length?: number, options?: { signal?: AbortSignal }): AsyncIterable<Uint8Array>
  close(): void
}

/** Where a shard's bytes come from (go-dagstore's `Mount`). */
export interface Mount {
  /** A URL that recreates this mount through the mount registry after a restart. */
  readonly url: string
  stat(): Promise<MountStat>
  /** Opens the bytes for random access; may unseal first when the mount is not ready. */
  open(options?: { signal?: AbortSignal }): Promise<MountReader>
}

/** One block in a shard's index: the block's multihash, its section's offset in the CARv1 payload, and the block's byte length. */
export interface IndexEntry {
  multihash: Uint8Array
  offset: number
  size: number
}

/** The result of scanning a shard's bytes: where its payload starts, its roots, and its blocks. */
export interface ShardScan {
  dataOffset: number
  roots: CID[]
  /** Batches of entries in payload order (each offset past the previous), as objects or in columns. */
  entries: AsyncIterable<IndexEntry[] | EntryBatch>
}

/** Reads a mount's CAR (v1 followed by zero padding, or v2) and lists its blocks. Provided by the CAR layer. */
export type ShardScanner = (reader: MountReader, options: { signal?: AbortSignal }) => Promise<ShardScan>
