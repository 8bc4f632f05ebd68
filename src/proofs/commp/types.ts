/** Types shared by the commP hashers, the native accelerator and the worker pools. */
import type { CID } from 'multiformats/cid'
import type { PaddedPieceSize } from '../piece/size.ts'

/** Hashes whole fr32 subtrees: the unit of work every commP path (TypeScript, native, workers) shares. */
export interface PieceTreeHasher {
  /** Short name for logs and `petal version`: `typescript`, `native:sha-ni`, `native:portable`. */
  readonly name: string
  /**
   * Writes to `out` (32 bytes) the root of the fr32-padded tree over `payload`, whose length is 127 × 2^k
   * bytes (k ≥ 0): a subtree of 4 × 2^k leaves.
   */
  subtreeRoot(payload: Uint8Array, out: Uint8Array): void
}

/** The result of hashing a payload: the tree root and the sizes both piece CID forms are made from. */
export interface PieceDigest {
  /** The commP: root of the fr32 tree, 32 bytes. */
  root: Uint8Array
  /** Payload bytes hashed. */
  payloadSize: number
  /** Padded piece size: the next power of two ≥ 128 × ⌈payloadSize / 127⌉. */
  pieceSize: PaddedPieceSize
  /** Tree height: log2(pieceSize / 32). */
  height: number
  /** Zero bytes appended to the payload before fr32 padding (FRC-0069). */
  padding: number
}

/** A piece ready for a deal: both CID forms and the sizes (Lotus `DataCIDSize` + FRC-0069). */
export interface PieceInfo {
  /** v1 piece CID, `baga6ea4seaq…` (Lotus, boost, market actor). */
  pieceCid: CID
  /** v2 piece CID, `bafkzcib…` (FRC-0069: carries the payload size). */
  pieceCidV2: CID
  payloadSize: number
  pieceSize: PaddedPieceSize
  root: Uint8Array
}

/**
 * A pool that hashes whole subtrees off the calling thread (Workers). The orchestrator hands it chunks of
 * `chunkSize` payload bytes and gets each root back with the chunk, which it reuses: memory stays bounded.
 */
export interface SubtreePool {
  /** Parallel workers behind the pool. */
  readonly size: number
  /** Hashes `chunk` (127 × 2^k bytes). The chunk's buffer may be transferred; use the one given back. */
  subtreeRoot(chunk: Uint8Array): Promise<{ root: Uint8Array; chunk: Uint8Array }>
  /** Stops the workers; pending calls reject. */
  close(): Promise<void>
}

/** Options of long commP runs. */
export interface CommPOptions {
  signal?: AbortSignal
  /** Called with the payload bytes consumed so far (and the total when known). */
  onProgress?: (done: number, total?: number) => void
  /** The subtree hasher to use on this thread; defaults to the installed native one, else TypeScript. */
  hasher?: PieceTreeHasher
}
