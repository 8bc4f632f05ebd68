/**
 * Walks the sections of a CAR payload at random access, reading it through a reused window so there is no
 * allocation per section. Without `withData` a section's block bytes are skipped, not read: indexing a CAR
 * of large blocks touches little more than their headers.
 */
import { cidParts, parseCid } from './cid-bytes.ts'
import { DEFAULT_MAX_SECTION_SIZE } from './constants.ts'
import { CarBadSectionError, CarSectionTooLargeError, CarTruncatedError, throwIfAborted } from './errors.ts'
import type { ByteSource, CarLayout, ProgressOptions } from './types.ts'
import { decodeVarint, varintLength } from './varint.ts'

/** The section a scan is visiting; the same object is reused for every section (copy what you keep). */
export interface ScannedSection {
  /** Buffer holding the section's header (and, with `withData`, its block bytes). */
  buf: Uint8Array
  /** Index in `buf` of the section's first byte. */
  at: number
  /** Payload offset of the section. */
  offset: number
  /** Whole section length (varint, CID, block). */
  length: number
  /** Varint + CID length: the block bytes start at `at + headerLength`. */
  headerLength: number
}

/** Options of a scan. */
export interface ScanOptions extends ProgressOptions {
  /** Make each section's block bytes available in `buf` (default false). */
  withData?: boolean
  maxSectionSize?: number
  /** A zero-length section ends the payload (default true); false makes it an error. */
  zeroLengthSectionAsEof?: boolean
  /** Stop at a section that runs past the end instead of throwing (resumption of a torn file). */
  tolerateTruncation?: boolean
  /** Payload offset to start at (default: the first section). */
  from?: number
}

/** How a scan ended: the payload offset after the last complete section, and why it stopped. */
export interface ScanEnd {
  end: number
  reason: 'end' | 'zero-length' | 'truncated' | 'stopped'
}

const WINDOW = 256 << 10
const PEEK = 4096

/**
 * Takes as many whole sections as it can from `buf[start, end)` (payload offset `offset` at `start`), doing
 * for each what `visit` would, and returns the bytes it consumed; the scan handles the next section itself.
 */
export type BulkVisit = (buf: Uint8Array, start: number, end: number, offset: number) => number

/**
 * Calls `visit` for each section of the payload described by `layout`, in order, with `cidParts` filled
 * for the section's CID. `visit` returning false stops the scan. `bulk` (not with `withData`) may take runs
 * of sections in the window first (the native index builder).
 */
export async function scanSections(
  source: ByteSource,
  layout: CarLayout,
  visit: (s: ScannedSection) => boolean | void,
  options: ScanOptions = {},
  bulk?: BulkVisit,
): Promise<ScanEnd> {
  const withData = options.withData ?? false
  const maxSection = options.maxSectionSize ?? DEFAULT_MAX_SECTION_SIZE
  const zeroAsEof = options.zeroLengthSectionAsEof ?? true
  const tolerate = options.tolerateTruncation ?? false
  const base = layout.dataOffset
  const end = base + layout.dataSize
  let buf = new Uint8Array(Math.min(WINDOW, Math.max(PEEK, layout.dataSize)))
  let winStart = 0
  let winEnd = 0
  let small = false
  let pos = base + (options.from ?? layout.headerLength)
  const section: ScannedSection = { buf, at: 0, offset: 0, length: 0, headerLength: 0 }

  // Reads the window at `at`, at least `min` bytes (short only at `end`).
  const fill = async (at: number, min: number): Promise<void> => {
    throwIfAborted(options.signal)
    const want = Math.min(end - at, Math.max(min, small ? PEEK : WINDOW))
    if (want > buf.length) buf = new Uint8Array(want)
    const target = buf.subarray(0, want)
    const r = source.read(target, at)
    const n = typeof r === 'number' ? r : await r
    winStart = at
    winEnd = at + n
    options.onProgress?.(at - base, layout.dataSize)
    if (n < want) throw new CarTruncatedError(`unexpected end of input at ${at + n}: the payload should run to ${end}`)
  }
  const truncated = (msg: string): ScanEnd => {
    if (tolerate) return { end: pos - base, reason: 'truncated' }
    throw new CarTruncatedError(msg)
  }

  while (pos < end) {
    // Refill unless the window holds a whole varint, or already runs to the end of the payload.
    let inWindow = pos >= winStart && pos < winEnd
    if (bulk !== undefined && !withData && inWindow) {
      pos += bulk(buf, pos - winStart, winEnd - winStart, pos - base)
      if (pos >= end) break
      inWindow = pos < winEnd
    }
    if (!inWindow || (winEnd - pos < 10 && winEnd < end)) await fill(pos, PEEK)
    let rel = pos - winStart
    const len = decodeVarint(buf, rel, winEnd - winStart)
    if (len < 0) return truncated(`unexpected end of input in the section length at payload offset ${pos - base}`)
    const vl = varintLength
    if (len === 0) {
      if (zeroAsEof) return { end: pos - base, reason: 'zero-length' }
      throw new CarBadSectionError(`zero-length section at payload offset ${pos - base}`)
    }
    if (len > maxSection) throw new CarSectionTooLargeError(pos - base, len, maxSection)
    const total = vl + len
    if (pos + total > end) return truncated(`unexpected end of input: the section at payload offset ${pos - base} needs ${total} bytes`)
    if (!parseCid(buf, rel + vl, Math.min(rel + total, winEnd - winStart))) {
      // The CID runs past the window (or past the section, which is an error either way).
      if (pos + total <= winEnd) throw new CarBadSectionError(`section at payload offset ${pos - base} is shorter than its CID`)
      // CIDs are small: re-read from the section start with a little room, the whole section only if needed.
      await fill(pos, Math.min(total, vl + PEEK))
      rel = 0
      if (!parseCid(buf, vl, Math.min(total, winEnd - pos))) {
        if (pos + total <= winEnd) throw new CarBadSectionError(`section at payload offset ${pos - base} is shorter than its CID`)
        await fill(pos, total)
        if (!parseCid(buf, vl, total)) throw new CarBadSectionError(`section at payload offset ${pos - base} is shorter than its CID`)
      }
    }
    if (withData && pos + total > winEnd) {
      await fill(pos, total)
      // Re-point the CID parts at the refilled window.
      parseCid(buf, vl, total)
      rel = 0
    }
    section.buf = buf
    section.at = rel
    section.offset = pos - base
    section.length = total
    section.headerLength = vl + cidParts.length
    if (visit(section) === false) return { end: pos + total - base, reason: 'stopped' }
    small = !withData && pos + total > winEnd && len >= WINDOW / 4
    pos += total
  }
  return { end: pos - base, reason: 'end' }
}
