/**
 * Random-access byte sources: a file (synchronous positional reads through node:fs, so a page-cache hit
 * costs one pread and no promise), a buffer, or a window of another source (a piece inside a sector file).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { CarTruncatedError } from './errors.ts'
import type { ByteSource } from './types.ts'

/** A file opened for reading; `close()` releases the descriptor. */
export interface FileByteSource extends ByteSource {
  readonly fd: number
  readonly path: string
  close(): void
}

/** Opens `path` read-only as a ByteSource. */
export function openFileSource(path: string): FileByteSource {
  const fd = openSync(path, 'r')
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
    get size() {
      return sizeOf()
    },
    read(target, position) {
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

/** A ByteSource over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
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
