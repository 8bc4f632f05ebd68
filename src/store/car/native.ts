/**
 * The CAR code's optional native accelerator (libpetal's car.c). The node installs one at start-up with
 * `setCarNative`, the way the proofs code gets its kernels; the TypeScript paths are the reference, and
 * with none installed (or when it declines an input) they run alone with byte-identical results.
 */

/** Typed-array columns a native scan appends index entries to (a CarIndex's, see `CarIndex.columns`). */
export interface CarIndexColumns {
  pool: Uint8Array
  /** Entry `e`'s key is `pool[keyStarts[e], keyStarts[e + 1])`; `keyStarts[count]` equals `poolUsed`. */
  keyStarts: Uint32Array
  offsets: Float64Array
  sizes: Uint32Array
  count: number
  poolUsed: number
}

/** A CarIndex's live hash table beside its columns (see `CarIndex.table`), for a native bulk add. */
export interface CarIndexTable extends CarIndexColumns {
  /** Per entry: its key's hash; the next entry with the same key (-1 none); for a key's first entry, its last. */
  hashes: Int32Array
  next: Int32Array
  last: Int32Array
  /** (entry, hash) pairs, entry -1 when empty; the number of pairs is a power of two. */
  slots: Int32Array
  /** Number of distinct keys (claimed slots). */
  distinct: number
  /** The per-process seed of the key hash. */
  seed: number
}

/** What `CarNative.putSections` did with a batch. */
export interface PutSectionsResult {
  /** Sections consumed from the start of the batch (kept or dropped as duplicates). */
  sections: number
  /** Bytes of the batch consumed. */
  consumed: number
  /** Length of the compacted batch: the kept sections, in order, from its start. */
  length: number
}

/** Flags of `CarNative.scanSections`. */
export const SCAN_INCLUDE_IDENTITY = 1
export const SCAN_KEY_DIGEST = 2

/** What the CAR code can hand to native code. */
export interface CarNative {
  /** Path of the loaded library. */
  readonly library: string
  /**
   * Indexes the whole sections in `buf[start, end)` (payload offset `offset` at `start`) into `columns`,
   * updating its `count` and `poolUsed`, and returns the bytes consumed. It stops before the first section
   * it does not take whole (incomplete, zero or over `maxSection` long, an unusual varint or CID, columns
   * full) and leaves that one to the TypeScript scanner, which owns every error.
   */
  scanSections(buf: Uint8Array, start: number, end: number, offset: number, maxSection: number, flags: number, columns: CarIndexColumns): number
  /**
   * The CARv2 index bytes of the `count` entries in `pool`/`keyStarts`/`offsets` (keys are multihashes, or
   * digests with `digestKeys`), or undefined when it declines (keys it does not parse, over 64 buckets).
   */
  encodeIndex(pool: Uint8Array, keyStarts: Uint32Array, offsets: Float64Array, count: number, codec: number, digestKeys: boolean): Uint8Array | undefined
  /**
   * putMany's dedupe over `buf[0, len)`, a batch of sections the store encoded, to be written at payload
   * offset `offset`: each section whose multihash `table` already holds is dropped and the batch compacted
   * in place; each new one is added to `table` (updating `count`, `poolUsed`, `distinct`) as
   * `CarIndex.addIfAbsent` would. It stops before a section it does not take (a CID it does not parse, no
   * room left in the columns, or a claim that would need a rehash) and leaves the rest to the caller.
   */
  putSections(buf: Uint8Array, len: number, offset: number, table: CarIndexTable): PutSectionsResult
  /**
   * Appends `n` entries of one index bucket, `buf[at, at + n × width)`, to `columns` as the TypeScript index
   * reader would: key `prefix` + digest, the little-endian u64 offset, size unknown. `prev` is the digest
   * before the first entry (for the order check). Returns the entries read; it stops before the first one
   * the TypeScript reader refuses (digests out of order, an offset of 2^53 or more) and leaves it to that
   * reader, which raises the error.
   */
  readIndexEntries(buf: Uint8Array, at: number, width: number, n: number, prefix: Uint8Array, prev: Uint8Array | undefined, columns: CarIndexColumns): number
  /**
   * Builds `table`'s hash table over its `count` entries as `CarIndex` builds it (same hash, probe order,
   * slot layout and chains), into its empty slots (all -1, at least twice `count` pairs); sets `distinct`.
   */
  buildTable(table: CarIndexTable): void
  /** SHA-256 of `bytes` (SHA-NI where the CPU has it; faster than node:crypto's here at every block size). */
  sha256(bytes: Uint8Array): Uint8Array
}

let installed: CarNative | null = null

/** Installs the native accelerator (or removes it with null). */
export function setCarNative(native: CarNative | null): void {
  installed = native
}

/** The installed accelerator, or null when only TypeScript runs. */
export function getCarNative(): CarNative | null {
  return installed
}
