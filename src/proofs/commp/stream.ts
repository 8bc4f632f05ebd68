/**
 * commP of a stream, in constant memory: on this thread with the synchronous hasher, or — given a pool of
 * workers — with whole chunks hashed in parallel while the stream is still being read. At most
 * `pool.size × 2` chunks are in flight; their buffers are reused, so memory is bounded by that.
 */
import { PayloadEmptyError, PayloadTooSmallError } from '../piece/errors.ts'
import { MIN_PAYLOAD_SIZE } from '../piece/size.ts'
import { pieceCidV1, pieceCidV2 } from '../piece/cid.ts'
import { CommPHasher } from './hasher.ts'
import type { CommPOptions, PieceDigest, PieceInfo, SubtreePool } from './types.ts'

/** Reads up to `into.length` bytes into `into`; resolves with the count, 0 at the end. */
export type ByteReader = (into: Uint8Array) => Promise<number>

/** Options of a commP run; a pool spreads whole chunks over workers. */
export interface CommPStreamOptions extends CommPOptions {
  /** Workers for whole chunks, owned by the caller; without one, everything is hashed on this thread. */
  pool?: SubtreePool
  /** Opens a pool once `parallelAfter` payload bytes were hashed here; the run closes it when done. */
  openPool?: () => Promise<SubtreePool>
  /** Bytes to hash on this thread before calling `openPool` (default 0; Infinity never opens one). */
  parallelAfter?: number
  /** Payload bytes per pool chunk, 127 × 2^k (default 127 × 2^15 = 4,161,536, a 4 MiB subtree). */
  poolChunkSize?: number
  /** Total payload size when known, for progress. */
  total?: number
}

/** Default pool chunk: 2^15 quads, a 4 MiB padded subtree. */
export const POOL_CHUNK_SIZE = 127 * 2 ** 15

/** The commP digest of an async stream of payload bytes (any size, including empty; see `pieceFromStream`). */
export async function commPFromStream(source: AsyncIterable<Uint8Array>, options: CommPStreamOptions = {}): Promise<PieceDigest> {
  if (options.pool || options.openPool) return commPFromReader(readerFromIterable(source), options)
  const hasher = new CommPHasher({ hasher: options.hasher })
  for await (const chunk of source) {
    options.signal?.throwIfAborted()
    hasher.write(chunk)
    options.onProgress?.(hasher.payloadSize, options.total)
  }
  options.signal?.throwIfAborted()
  return hasher.digest()
}

/**
 * The commP digest of what `read` yields. With a pool, whole chunks are read straight into buffers that go
 * to the workers (no copy) and at most `pool.size × 2` are in flight; the tail is hashed here.
 */
export async function commPFromReader(read: ByteReader, options: CommPStreamOptions = {}): Promise<PieceDigest> {
  const hasher = new CommPHasher({ hasher: options.hasher })
  const chunkSize = options.poolChunkSize ?? POOL_CHUNK_SIZE
  const parallelAfter = options.parallelAfter ?? 0
  let pool = options.pool
  let owned: SubtreePool | undefined
  const free: Uint8Array[] = []
  const inFlight: Array<Promise<{ root: Uint8Array; chunk: Uint8Array }>> = []
  let done = 0
  const settle = async () => {
    const { root, chunk } = await inFlight.shift()!
    hasher.writeSubtreeRoot(root, chunkSize)
    free.push(chunk)
    done += chunkSize
    options.onProgress?.(done, options.total)
  }
  try {
    for (;;) {
      options.signal?.throwIfAborted()
      const buffer = free.pop() ?? new Uint8Array(chunkSize)
      const n = await readFull(read, buffer)
      options.signal?.throwIfAborted()
      if (!pool && options.openPool && n === chunkSize && done >= parallelAfter) pool = owned = await options.openPool()
      if (pool && n === chunkSize) {
        inFlight.push(pool.subtreeRoot(buffer))
        if (inFlight.length >= Math.max(2, pool.size * 2)) await settle()
        continue
      }
      // On this thread, or the tail: everything in flight goes first, so roots enter the stack in order.
      while (inFlight.length > 0) await settle()
      hasher.write(buffer.subarray(0, n))
      done += n
      options.onProgress?.(done, options.total)
      if (n < buffer.length) break
      free.push(buffer)
    }
  } finally {
    // On failure, let pending chunks finish (or reject) before the pool goes away.
    if (inFlight.length > 0) await Promise.allSettled(inFlight)
    await owned?.close()
  }
  return hasher.digest()
}

/** Both piece CIDs of a stream; throws `E_PAYLOAD_EMPTY` / `E_PAYLOAD_TOO_SMALL` below 65 bytes (v1 minimum). */
export async function pieceFromStream(source: AsyncIterable<Uint8Array>, options: CommPStreamOptions = {}): Promise<PieceInfo> {
  return pieceFromDigest(await commPFromStream(source, options))
}

/** Both piece CIDs of a digest; v1 needs at least 65 payload bytes. */
export function pieceFromDigest(digest: PieceDigest): PieceInfo {
  if (digest.payloadSize === 0) throw new PayloadEmptyError()
  if (digest.payloadSize < MIN_PAYLOAD_SIZE) throw new PayloadTooSmallError(digest.payloadSize, MIN_PAYLOAD_SIZE)
  return {
    pieceCid: pieceCidV1(digest.root),
    pieceCidV2: pieceCidV2(digest.root, digest.payloadSize),
    payloadSize: digest.payloadSize,
    pieceSize: digest.pieceSize,
    root: digest.root,
  }
}

/** The digest of a payload in memory. */
export function commPFromBytes(payload: Uint8Array, options: Pick<CommPOptions, 'hasher'> = {}): PieceDigest {
  return new CommPHasher({ hasher: options.hasher }).write(payload).digest()
}

async function readFull(read: ByteReader, into: Uint8Array): Promise<number> {
  let n = 0
  while (n < into.length) {
    const got = await read(into.subarray(n))
    if (got === 0) break
    n += got
  }
  return n
}

/** Adapts an async iterable to a reader that copies into the caller's buffers. */
export function readerFromIterable(source: AsyncIterable<Uint8Array>): ByteReader {
  const it = source[Symbol.asyncIterator]()
  let current: Uint8Array | undefined
  let at = 0
  return async (into) => {
    while (!current || at >= current.length) {
      const next = await it.next()
      if (next.done) return 0
      current = next.value
      at = 0
    }
    const n = Math.min(into.length, current.length - at)
    into.set(current.subarray(at, at + n), 0)
    at += n
    return n
  }
}
