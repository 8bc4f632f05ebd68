/**
 * Random-access byte sources: a file (synchronous positional reads through node:fs, so a page-cache hit
 * costs one pread and no promise), a buffer, or a window of another source (a piece inside a sector file).
 */

/**
 * Reads up to this size complete synchronously. Larger ones go through the thread pool: they take long
 * enough for a promise not to matter, the event loop keeps running, and on VMs where touching fresh
 * memory is slow the faults are taken off the main thread.
 */
export const SYNC_READ_LIMIT = 256 << 10
import { closeSync, fstatSync, read as readAsync, readSync } from 'node:fs'
import { throwIfAborted } from './errors.ts'
import { CarTruncatedError } from './errors.ts'
import type { ByteSource } from './types.ts'
import { openFile } from '../fs.ts'

/** A file opened for reading; `close()` releases the descriptor. */
export interface FileByteSource extends ByteSource {
  readonly fd: number
  readonly path: string
  close(): void
}

/** Opens `path` read-only as a ByteSource. */
export function openFileSource(path: string): FileByteSource {
  const fd = openFile(path, 'r')
  return fileSource(fd, path, fstatSync(fd).size, true)
}

/**
 * A ByteSource over an open descriptor. `size` is fixed at creation unless `sizeOf` is given (a file
 * still being written reports its current length). `owned` decides whether `close()` closes `fd`.
 */
export function fileSource(fd: number, path: string, size: number | (() => number), owned = false): FileByteSource {
  let closed = false
  const sizeOf = typeof size === 'function' ? size : () => size
  return {
    fd,
    path,
    synchronous: true,
    get size() {
      return sizeOf()
    },
    read(target, position) {
      if (target.length > SYNC_READ_LIMIT) return readFully(fd, target, position)
      let done = 0
      while (done < target.length) {
        const n = readSync(fd, target, done, target.length - done, position + done)
        if (n === 0) break
        done += n
      }
      return done
    },
    close() {
      if (owned && !closed) {
        closed = true
        closeSync(fd)
      }
    },
  }
}

async function readFully(fd: number, target: Uint8Array, position: number): Promise<number> {
  let done = 0
  while (done < target.length) {
    const n = await new Promise<number>((resolve, reject) =>
      readAsync(fd, target, done, target.length - done, position + done, (err, bytes) => (err ? reject(err) : resolve(bytes))),
    )
    if (n === 0) break
    done += n
  }
  return done
}

/** A ByteSource over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    synchronous: true,
    read(target, position) {
      if (position >= bytes.length) return 0
      const n = Math.min(target.length, bytes.length - position)
      target.set(bytes.subarray(position, position + n))
      return n
    },
  }
}

/** The window [offset, offset + size) of `source`, as its own source (closing it leaves `source` open). */
export function sliceSource(source: ByteSource, offset: number, size: number): ByteSource {
  return {
    size,
    synchronous: source.synchronous,
    read(target, position) {
      if (position >= size) return 0
      const want = Math.min(target.length, size - position)
      return source.read(want === target.length ? target : target.subarray(0, want), offset + position)
    },
  }
}

/** Reads exactly `length` bytes at `position` into a new buffer; CarTruncatedError when the source ends first. */
export async function readExactly(source: ByteSource, position: number, length: number, what = 'data'): Promise<Uint8Array> {
  const out = new Uint8Array(length)
  const r = source.read(out, position)
  const n = typeof r === 'number' ? r : await r
  if (n < length) throw new CarTruncatedError(`unexpected end of input reading ${what}: wanted ${length} bytes at ${position}, got ${n}`)
  return out
}

/** Reads up to `target.length` bytes at `position`; returns how many. */
export async function readInto(source: ByteSource, target: Uint8Array, position: number): Promise<number> {
  const r = source.read(target, position)
  return typeof r === 'number' ? r : await r
}

/**
 * The file at `path` as a stream of fresh chunks (positional reads; each chunk is a new buffer, so a
 * consumer may keep it). Reads from `start` up to `end` (default: the file's size when opened).
 */
export async function* readFileChunks(
  path: string,
  options: { chunkSize?: number; start?: number; end?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Uint8Array> {
  const fd = openFile(path, 'r')
  try {
    const end = options.end ?? fstatSync(fd).size
    const chunkSize = options.chunkSize ?? 256 << 10
    for (let pos = options.start ?? 0; pos < end; ) {
      throwIfAborted(options.signal)
      const chunk = new Uint8Array(Math.min(chunkSize, end - pos))
      const n = readSync(fd, chunk, 0, chunk.length, pos)
      if (n === 0) return
      pos += n
      yield n === chunk.length ? chunk : chunk.subarray(0, n)
    }
  } finally {
    closeSync(fd)
  }
}
