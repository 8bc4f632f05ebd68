/** Types shared by the CAR readers, writers and index codecs. */
import type { CID } from 'multiformats/cid'

/** A block: a CID and the bytes it names. */
export interface Block {
  cid: CID
  bytes: Uint8Array
}

/**
 * Where a section sits. Every offset is relative to the start of the CARv1 payload (for a CARv1 that is the
 * file offset; for a CARv2 add `dataOffset`), which is what CARv2 indexes store.
 */
export interface SectionInfo {
  /** Offset of the section's leading varint. */
  offset: number
  /** Length of the whole section: varint, CID and block bytes. */
  length: number
  /** Offset of the block bytes. */
  blockOffset: number
  /** Length of the block bytes. */
  blockLength: number
}

/** A block read from a CAR, with where it was found. */
export interface CarBlock extends Block, SectionInfo {}

/** The 40-byte CARv2 header. https://ipld.io/specs/transport/car/carv2/#header */
export interface CarV2Header {
  /** The 16 characteristics bytes as stored. */
  characteristics: Uint8Array
  /** Whether the index catalogs every section, identity CIDs included (bit 7 of the first byte). */
  fullyIndexed: boolean
  /** File offset of the CARv1 payload. */
  dataOffset: number
  /** Length of the CARv1 payload. */
  dataSize: number
  /** File offset of the index, 0 when there is none. */
  indexOffset: number
}

/** What the headers of a CAR say, and where its sections are. */
export interface CarLayout {
  version: 1 | 2
  roots: CID[]
  /** The CARv2 header; undefined for a CARv1. */
  v2?: CarV2Header
  /** File offset of the CARv1 payload (0 for a CARv1). */
  dataOffset: number
  /** Length of the CARv1 payload (for a CARv1 read at random access: the source size). */
  dataSize: number
  /** Length of the CARv1 header with its varint: the payload offset of the first section. */
  headerLength: number
}

/** A CARv2 index codec: IndexSorted (0x0400) or MultihashIndexSorted (0x0401). */
export type IndexCodec = 0x0400 | 0x0401

/** Where a block is: the payload offset of its section, and its block size (-1 when the index lacks sizes). */
export interface BlockLocation {
  offset: number
  size: number
}

/** One index record: the block's multihash bytes, the payload offset of its section, its size or -1. */
export interface IndexEntry {
  multihash: Uint8Array
  offset: number
  size: number
}

/**
 * The lookup a block reader needs: multihash → section location. petal's in-memory `CarIndex` implements
 * it; the dagstore can answer from SQLite instead.
 */
export interface IndexLookup {
  /** The `nth` (0-based) location of a block with this multihash; undefined when there is none. */
  locate(multihash: Uint8Array, nth?: number): BlockLocation | undefined
}

/**
 * Random-access bytes: a file, a buffer, a range of a sector file. `read` fills `target` from `position`
 * and returns how many bytes it read (fewer only at the end of the source).
 */
export interface ByteSource {
  readonly size: number
  /** True when reads of up to 64 KiB never return a promise (lets readers reuse one scratch buffer). */
  readonly synchronous?: boolean
  read(target: Uint8Array, position: number): number | Promise<number>
  close?(): void | Promise<void>
}

/** A section's stored bytes, handed to a `resolve` hook before the block is verified. */
export interface RawSection extends SectionInfo {
  cid: CID
  bytes: Uint8Array
}

/**
 * Turns a section's stored bytes into the real block bytes before CID verification (a ref-CAR stores
 * positions into another file instead of the data). Returns the bytes to verify and hand out.
 */
export type ResolveHook = (section: RawSection) => Uint8Array | Promise<Uint8Array>

/** A hash function for verification: multihash code → digest of the bytes. */
export type DigestFunction = (bytes: Uint8Array) => Uint8Array

/** Options of every CAR reader. */
export interface ReadOptions {
  /** Largest CARv1 header accepted (default 32 MiB, as go-car). */
  maxHeaderSize?: number
  /** Largest section accepted (default 8 MiB, as go-car). */
  maxSectionSize?: number
  /** Skip hash verification: the caller vouches for the source (default false). */
  trusted?: boolean
  /** A zero-length section ends the payload, as in an unsealed piece (default true). */
  zeroLengthSectionAsEof?: boolean
  /** Extra hash functions for verification, by multihash code. */
  hashers?: Record<number, DigestFunction>
  /** Intercepts each section's bytes before verification (see ResolveHook). */
  resolve?: ResolveHook
  signal?: AbortSignal
}

/** Options of long operations. */
export interface ProgressOptions {
  signal?: AbortSignal
  /** Called with bytes done and bytes total as the operation advances. */
  onProgress?: (done: number, total: number) => void
}
