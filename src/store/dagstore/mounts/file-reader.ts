/** Random access to a file with positional reads (no shared cursor, so concurrent readers are safe). */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import type { MountReader } from '../types.ts'

/** Bytes per chunk when streaming. */
const STREAM_CHUNK = 1 << 20

/** Opens `path` read-only. */
export function openFileReader(path: string): MountReader {
  const fd = openSync(path, 'r')
  const size = fstatSync(fd).size
  const readInto = (target: Uint8Array, position: number): number => {
    const n = Math.max(0, Math.min(target.length, size - position))
    let got = 0
    while (got < n) {
      const r = readSync(fd, target, got, n - got, position + got)
      if (r === 0) break
      got += r
    }
    return got
  }
  return createMountReader({ size, path, readInto, close: () => closeSync(fd), chunk: STREAM_CHUNK })
}

/** What a reader is made of: its size, a positional read, and how to let go of what it holds. */
export interface MountReaderParts {
  size: number
  path?: string
  /** Reads into `target` at `position`; returns the bytes read (fewer only at the end). */
  readInto(target: Uint8Array, position: number): number
  close(): void
  /** Bytes per chunk when streaming (default 1 MiB). */
  chunk?: number
}

/** A MountReader over a positional read: `readAt` and `stream` are built on `readInto`; `close` runs once. */
export function createMountReader(parts: MountReaderParts): MountReader {
  const { size, readInto } = parts
  const chunk = parts.chunk ?? STREAM_CHUNK
  let closed = false
  const readAt = (offset: number, length: number): Uint8Array => {
    const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)))
    const got = readInto(buf, offset)
    return got === buf.length ? buf : buf.subarray(0, got)
  }
  return {
    size,
    path: parts.path,
    readAt,
    readInto,
    async *stream(offset = 0, length = size - offset, options = {}) {
      const end = Math.min(size, offset + length)
      for (let at = offset; at < end; at += chunk) {
        options.signal?.throwIfAborted()
        yield readAt(at, Math.min(chunk, end - at))
      }
    },
    close() {
      if (closed) return
      closed = true
      parts.close()
    },
  }
}
