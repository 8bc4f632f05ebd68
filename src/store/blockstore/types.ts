/** The one blockstore interface every petal block store implements. */
import type { CID } from 'multiformats/cid'
import type { Block } from '../car/types.ts'

export type { Block }

/** `{ signal }` on every async call. */
export interface AbortOptions {
  signal?: AbortSignal
}

/**
 * A content-addressed block store. Lookups are by multihash unless a store says otherwise (so a block
 * put as raw answers to dag-cbor of the same digest, as go-car's default); identity CIDs answer from their
 * digest without being stored.
 */
export interface Blockstore {
  /** Whether the store holds the block. */
  has(cid: CID, options?: AbortOptions): Promise<boolean>
  /** The block's bytes (verified against the CID unless the store is trusted); NotFoundError when absent. */
  get(cid: CID, options?: AbortOptions): Promise<Uint8Array>
  /** The block's size in bytes; NotFoundError when absent. */
  getSize(cid: CID, options?: AbortOptions): Promise<number>
  /** Stores a block (the caller vouches that `bytes` hash to `cid`). */
  put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void>
  /** Stores many blocks; returns once all are written. */
  putMany(blocks: AsyncIterable<Block> | Iterable<Block>, options?: AbortOptions): Promise<void>
  /** Every stored block's CID, in storage order. */
  cids(options?: AbortOptions): AsyncIterable<CID>
  /** The root CIDs the store was created with. */
  roots(options?: AbortOptions): Promise<CID[]>
  /** Releases files; later calls fail with BlockstoreClosedError. */
  close(): Promise<void>
}
