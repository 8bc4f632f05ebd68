/**
 * Builds a CarIndex from a CAR's payload: at random access through the section scanner (block bytes are
 * skipped, not read), or in one pass over a stream. Identity CIDs are left out unless asked for, as go-car
 * does by default. Blocks are not verified here; `verifyCar` does that.
 */
import { CarIndex, type IndexKeying } from './car-index.ts'
import { cidParts, parseCid } from './cid-bytes.ts'
import { DEFAULT_MAX_SECTION_SIZE, IDENTITY } from './constants.ts'
import { CarBadSectionError, CarSectionTooLargeError, CarTruncatedError, throwIfAborted } from './errors.ts'
import { getCarNative, SCAN_INCLUDE_IDENTITY, SCAN_KEY_DIGEST } from './native.ts'
import { readCarLayout } from './read-header.ts'
import { readCarStream } from './read-stream.ts'
import { scanSections, type BulkVisit, type ScanEnd, type ScanOptions } from './scan.ts'
import type { ByteSource, CarLayout, ReadOptions } from './types.ts'
import { decodeVarint, varintLength } from './varint.ts'

/** Options of index generation. */
export interface IndexOptions extends ScanOptions {
  /** Index identity CIDs too (default false; go-car's StoreIdentityCIDs). */
  includeIdentity?: boolean
  /** Key by whole multihash (default) or by digest only (what IndexSorted stores). */
  keyedBy?: IndexKeying
  maxHeaderSize?: number
}

/** The index of the payload `layout` describes in `source`, and how the scan ended. */
export async function buildIndex(source: ByteSource, layout: CarLayout, options: IndexOptions = {}): Promise<{ index: CarIndex; end: ScanEnd }> {
  const includeIdentity = options.includeIdentity ?? false
  const byDigest = options.keyedBy === 'digest'
  // Sized for 1 KiB blocks (capped at 2^20 entries): columns are reserved, not touched, so a CAR of larger
  // blocks costs no memory for the room it leaves unused, and one of 1 KiB blocks up to 1 GiB never regrows.
  const index = new CarIndex(options.keyedBy ?? 'multihash', Math.min(1 << 20, Math.max(1024, Math.floor(layout.dataSize / 1024))))
  const bulk = nativeBulk(index, options)
  const end = await scanSections(
    source,
    layout,
    (s) => {
      if (!includeIdentity && cidParts.hashCode === IDENTITY) return
      index.add(s.buf, byDigest ? cidParts.digestStart : cidParts.multihashStart, s.at + s.headerLength, s.offset, s.length - s.headerLength)
    },
    options,
    bulk,
  )
  return { index, end }
}

/** The installed native scanner appending to `index` as `options` ask, or undefined without one. */
function nativeBulk(index: CarIndex, options: IndexOptions): BulkVisit | undefined {
  const native = getCarNative()
  if (native === null) return undefined
  const maxSection = options.maxSectionSize ?? DEFAULT_MAX_SECTION_SIZE
  const flags = (options.includeIdentity === true ? SCAN_INCLUDE_IDENTITY : 0) | (options.keyedBy === 'digest' ? SCAN_KEY_DIGEST : 0)
  return (buf, start, end, offset) => {
    const columns = index.columns()
    const used = native.scanSections(buf, start, end, offset, maxSection, flags, columns)
    index.commitColumns(columns)
    return used
  }
}

/** Reads the layout of the CAR in `source` and indexes its payload. */
export async function generateIndex(source: ByteSource, options: IndexOptions = {}): Promise<{ layout: CarLayout; index: CarIndex }> {
  const layout = await readCarLayout(source, options)
  const { index } = await buildIndex(source, layout, options)
  return { layout, index }
}

/**
 * Indexes the CAR in a byte stream in one pass (a mount that cannot seek). Block bytes are skipped
 * without copying; only headers that straddle chunks are copied.
 */
export async function generateIndexFromStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: IndexOptions & ReadOptions = {}): Promise<CarIndex> {
  const includeIdentity = options.includeIdentity ?? false
  const byDigest = options.keyedBy === 'digest'
  const maxSection = options.maxSectionSize ?? DEFAULT_MAX_SECTION_SIZE
  const zeroAsEof = options.zeroLengthSectionAsEof ?? true
  const car = await readCarStream(source, options)
  const reader = car.reader
  const index = new CarIndex(options.keyedBy ?? 'multihash')
  const dataEnd = car.v2 ? car.v2.dataOffset + car.v2.dataSize : Infinity
  const dataOffset = car.v2?.dataOffset ?? 0
  const bulk = nativeBulk(index, options)
  let count = 0
  for (;;) {
    if ((++count & 1023) === 0) throwIfAborted(options.signal)
    const at = reader.position
    if (at >= dataEnd) break
    // The native scanner takes the whole sections already buffered; the one it stops at is read below.
    if (bulk !== undefined && reader.end > reader.pos) {
      const used = bulk(reader.buf, reader.pos, Math.min(reader.end, reader.pos + (dataEnd - at)), at - dataOffset)
      if (used > 0) {
        reader.pos += used
        continue
      }
    }
    if (reader.end - reader.pos < 10) await reader.fill(10)
    if (reader.end === reader.pos) {
      if (dataEnd === Infinity) break
      throw new CarTruncatedError(`unexpected end of input: the CARv2 payload should run to ${dataEnd}`)
    }
    const offset = at - dataOffset
    const len = decodeVarint(reader.buf, reader.pos, reader.end)
    if (len < 0) throw new CarTruncatedError(`unexpected end of input in the section length at payload offset ${offset}`)
    const vl = varintLength
    if (len === 0) {
      if (zeroAsEof) break
      throw new CarBadSectionError(`zero-length section at payload offset ${offset}`)
    }
    if (len > maxSection) throw new CarSectionTooLargeError(offset, len, maxSection)
    const total = vl + len
    if (at + total > dataEnd) throw new CarTruncatedError(`the section at payload offset ${offset} runs past the end of the payload`)
    // Make the CID contiguous: usually already buffered; else fetch a little, then (rarely) the section.
    const peek = Math.min(total, vl + 128)
    if (reader.end - reader.pos < peek) await reader.fill(peek)
    let ok = parseCid(reader.buf, reader.pos + vl, Math.min(reader.end, reader.pos + total))
    if (!ok && reader.end - reader.pos < total) {
      if (!(await reader.fill(total))) throw new CarTruncatedError(`unexpected end of input: the section at payload offset ${offset} needs ${total} bytes`)
      ok = parseCid(reader.buf, reader.pos + vl, reader.pos + total)
    }
    if (!ok) {
      if (reader.end - reader.pos < total) throw new CarTruncatedError(`unexpected end of input: the section at payload offset ${offset} needs ${total} bytes`)
      throw new CarBadSectionError(`section at payload offset ${offset} is shorter than its CID`)
    }
    if (includeIdentity || cidParts.hashCode !== IDENTITY) {
      const cidEnd = reader.pos + vl + cidParts.length
      index.add(reader.buf, byDigest ? cidParts.digestStart : cidParts.multihashStart, cidEnd, offset, len - cidParts.length)
    }
    if (reader.end - reader.pos >= total) reader.pos += total
    else if ((await reader.skip(total)) < total) throw new CarTruncatedError(`unexpected end of input: the section at payload offset ${offset} needs ${total} bytes`)
  }
  await reader.cancel()
  return index
}
