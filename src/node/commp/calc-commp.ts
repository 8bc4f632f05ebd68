/**
 * commP of a file or a stream for the CLI (`petal commp`) and the RPC (`Filecoin.ClientCalcCommP`): both
 * piece CIDs and sizes. Inputs of 32 MiB or more use every core: for files this thread and the workers each
 * read and hash whole 4 MiB subtrees (no bytes cross threads); streams hand the workers chunk buffers by
 * transfer.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import {
  CommPHasher,
  MAX_PAYLOAD_SIZE,
  activeTreeHasher,
  MIN_PAYLOAD_SIZE,
  POOL_CHUNK_SIZE,
  PayloadEmptyError,
  PayloadTooLargeError,
  PayloadTooSmallError,
  commPFromReader,
  pieceFromDigest,
  readerFromIterable,
  toUnpadded,
  type PieceDigest,
  type PieceInfo,
  type SubtreePool,
} from '../../proofs/index.ts'
import { FileChangedError, installNative, openSubtreePool, type OpenSubtreePool } from '../runtime/index.ts'
import { FileUnreadableError } from './errors.ts'

/** Inputs at least this large are hashed on every core. */
export const PARALLEL_THRESHOLD = 32 * 2 ** 20

/** Options of `calcCommPFromFile` and `calcCommPFromStream`. */
export interface CalcCommPOptions {
  signal?: AbortSignal
  /** Payload bytes hashed so far, and the total when known. */
  onProgress?: (done: number, total?: number) => void
  /** Worker threads for large inputs (default: one per core; 1 hashes on this thread only). */
  threads?: number
}

/** What `petal commp` prints and the RPC returns. */
export interface CommPResult {
  /** v1 piece CID (`baga6ea4seaq…`). */
  pieceCid: string
  /** v2 piece CID (`bafkzcib…`, FRC-0069). */
  pieceCidV2: string
  /** Payload bytes. */
  payloadSize: number
  /** Padded piece size. */
  pieceSize: number
}

type ReadAt = (into: Uint8Array, position: number) => Promise<number>

/** commP of the file at `path`. Empty, too small (< 65 B) or too large (> 64 GiB padded) inputs are typed errors. */
export async function calcCommPFromFile(path: string, options: CalcCommPOptions = {}): Promise<CommPResult> {
  let file: FileHandle
  try {
    file = await open(path, 'r')
  } catch (err) {
    throw new FileUnreadableError(path, { cause: err })
  }
  try {
    const size = await sizeOf(file, path)
    if (size === 0) throw new PayloadEmptyError()
    if (size < MIN_PAYLOAD_SIZE) throw new PayloadTooSmallError(size, MIN_PAYLOAD_SIZE)
    if (size > MAX_PAYLOAD_SIZE) throw new PayloadTooLargeError(size, MAX_PAYLOAD_SIZE)
    installNative()
    const readAt: ReadAt = async (into, position) => {
      try {
        return (await file.read(into, 0, into.length, position)).bytesRead
      } catch (err) {
        throw new FileUnreadableError(path, { cause: err })
      }
    }
    const threads = options.threads ?? availableParallelism()
    const digest =
      threads > 1 && size >= PARALLEL_THRESHOLD
        ? await hashFileInParallel(path, size, readAt, threads, options)
        : await hashSequentially(readAt, 0, new CommPHasher(), size, 0, options)
    return toResult(pieceFromDigest(digest))
  } finally {
    await file.close()
  }
}

/** commP of a stream of unknown length (standard input); workers join once it passes 32 MiB. */
export async function calcCommPFromStream(source: AsyncIterable<Uint8Array>, options: CalcCommPOptions = {}): Promise<CommPResult> {
  installNative()
  const threads = options.threads ?? availableParallelism()
  const digest = await commPFromReader(readerFromIterable(source), {
    signal: options.signal,
    onProgress: options.onProgress,
    parallelAfter: threads > 1 ? PARALLEL_THRESHOLD : Infinity,
    openPool: (): Promise<SubtreePool> => openSubtreePool({ threads }),
  })
  return toResult(pieceFromDigest(digest))
}

/** Lotus's `ClientCalcCommP` result: `{ Root: {"/": v1 piece CID}, Size: unpadded piece size }`. */
export function toLotusCommPRet(result: CommPResult): { Root: { '/': string }; Size: number } {
  return { Root: { '/': result.pieceCid }, Size: toUnpadded(result.pieceSize as never) }
}

/**
 * Whole chunks go to `threads − 1` workers, which read and hash them themselves, and to this thread, which
 * hashes a chunk whenever the workers have enough queued (and all of them while the workers start). Roots
 * enter the tree in chunk order. The tail (and anything the file grew by) is read and hashed here.
 */
async function hashFileInParallel(path: string, size: number, readAt: ReadAt, threads: number, options: CalcCommPOptions): Promise<PieceDigest> {
  let pool: OpenSubtreePool | undefined
  let failure: unknown
  const opening = openSubtreePool({ threads: threads - 1 }).then(
    (p) => (pool = p),
    (err: unknown) => (failure ??= err),
  )
  const tree = activeTreeHasher()
  const hasher = new CommPHasher({ hasher: tree })
  const chunks = Math.floor(size / POOL_CHUNK_SIZE)
  const depth = (threads - 1) * 3
  const buffer = new Uint8Array(POOL_CHUNK_SIZE)
  const roots = new Map<number, Uint8Array>()
  const pending = new Set<Promise<void>>()
  let next = 0
  let pushed = 0
  try {
    while (pushed < chunks) {
      options.signal?.throwIfAborted()
      if (failure) throw failure
      while (pool && pending.size < depth && next < chunks) {
        const index = next++
        const job: Promise<void> = pool
          .fileSubtreeRoot(path, index * POOL_CHUNK_SIZE, POOL_CHUNK_SIZE)
          .then(
            (root) => void roots.set(index, root),
            (err: unknown) => void (failure ??= err),
          )
          .finally(() => pending.delete(job))
        pending.add(job)
      }
      if (next < chunks) {
        const index = next++
        await readFullAt(readAt, buffer, index * POOL_CHUNK_SIZE, path)
        const root = new Uint8Array(32)
        tree.subtreeRoot(buffer, root)
        roots.set(index, root)
      } else if (pending.size > 0) {
        await Promise.race(pending)
      }
      for (let root = roots.get(pushed); root; root = roots.get(pushed)) {
        hasher.writeSubtreeRoot(root, POOL_CHUNK_SIZE)
        roots.delete(pushed++)
        options.onProgress?.(pushed * POOL_CHUNK_SIZE, size)
      }
    }
  } finally {
    // Jobs never reject (failures are recorded); wait for them before the workers go away.
    await Promise.all(pending)
    await opening
    await pool?.close()
  }
  const done = chunks * POOL_CHUNK_SIZE
  return hashSequentially(readAt, done, hasher, size, done, options)
}

async function readFullAt(readAt: ReadAt, into: Uint8Array, position: number, path: string): Promise<void> {
  for (let n = 0; n < into.length; ) {
    const got = await readAt(into.subarray(n), position + n)
    if (got === 0) throw new FileChangedError(`${path} ended at ${position + n} bytes while being hashed (it changed)`)
    n += got
  }
}

/** Reads from `position` to the end into `hasher`, a chunk at a time. */
async function hashSequentially(readAt: ReadAt, position: number, hasher: CommPHasher, total: number, done: number, options: CalcCommPOptions): Promise<PieceDigest> {
  const buffer = new Uint8Array(POOL_CHUNK_SIZE)
  for (;;) {
    options.signal?.throwIfAborted()
    let n = 0
    for (let got = -1; got !== 0 && n < buffer.length; n += got) got = await readAt(buffer.subarray(n), position + n)
    hasher.write(buffer.subarray(0, n))
    position += n
    done += n
    options.onProgress?.(done, total)
    if (n < buffer.length) return hasher.digest()
  }
}

async function sizeOf(file: FileHandle, path: string): Promise<number> {
  let stat
  try {
    stat = await file.stat()
  } catch (err) {
    throw new FileUnreadableError(path, { cause: err })
  }
  if (stat.isDirectory()) throw new FileUnreadableError(path, { reason: 'is a directory' })
  return stat.size
}

function toResult(piece: PieceInfo): CommPResult {
  return { pieceCid: piece.pieceCid.toString(), pieceCidV2: piece.pieceCidV2.toString(), payloadSize: piece.payloadSize, pieceSize: piece.pieceSize }
}
