/**
 * Streaming CAR reader: CARv1 or CARv2 from any AsyncIterable of byte chunks, in one pass with bounded
 * memory (the largest buffer is one section, capped). A CARv2's padding is skipped and its index ignored.
 */
import { cidParts, parseCid } from './cid-bytes.ts'
import { DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_SECTION_SIZE, PRAGMA_SIZE, V2_HEADER_SIZE, V2_PREFIX_SIZE } from './constants.ts'
import {
  CarBadHeaderError,
  CarBadPragmaError,
  CarBadSectionError,
  CarHeaderTooLargeError,
  CarSectionTooLargeError,
  CarTruncatedError,
  throwIfAborted,
} from './errors.ts'
import { decodeHeaderBlock, decodeV2Header, hasPragma, type HeaderBlock } from './header.ts'
import { cidAt, finishBlock } from './section.ts'
import { ByteStreamReader } from './stream-reader.ts'
import type { CarBlock, CarV2Header, RawSection, ReadOptions } from './types.ts'
import { decodeVarint, varintLength } from './varint.ts'

/** A CAR being read from a stream: its headers, then its sections or blocks (iterate once). */
export interface CarStream {
  version: 1 | 2
  roots: import('multiformats/cid').CID[]
  v2?: CarV2Header
  /** Length of the CARv1 header with its varint (the payload offset of the first section). */
  headerLength: number
  /** The underlying reader, positioned at the first section (for one-pass scanners such as the indexer). */
  reader: ByteStreamReader
  /** Sections as stored: CIDs parsed, bytes neither resolved nor verified. */
  sections(): AsyncIterable<RawSection>
  /** Blocks: resolved through `options.resolve` and verified unless `options.trusted`. */
  blocks(): AsyncIterable<CarBlock>
}

async function readHeaderBlock(reader: ByteStreamReader, maxHeaderSize: number): Promise<{ block: HeaderBlock; length: number; start: number }> {
  await reader.fill(10)
  const len = decodeVarint(reader.buf, reader.pos, reader.end)
  if (len < 0) throw new CarTruncatedError('unexpected end of input in the CAR header length')
  const prefix = varintLength
  if (len === 0) throw new CarBadHeaderError('CAR header has zero length')
  if (len > maxHeaderSize) throw new CarHeaderTooLargeError(len, maxHeaderSize)
  if (!(await reader.fill(prefix + len))) throw new CarTruncatedError(`unexpected end of input: CAR header needs ${len} bytes`)
  const start = reader.pos
  const block = decodeHeaderBlock(reader.buf.subarray(start + prefix, start + prefix + len))
  return { block, length: prefix + len, start }
}

/** Reads the headers of the CAR in `source` and returns a handle to iterate its sections or blocks. */
export async function readCarStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ReadOptions = {}): Promise<CarStream> {
  const maxHeaderSize = options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE
  const maxSection = options.maxSectionSize ?? DEFAULT_MAX_SECTION_SIZE
  const zeroAsEof = options.zeroLengthSectionAsEof ?? true
  const reader = new ByteStreamReader(source)
  let first = await readHeaderBlock(reader, maxHeaderSize)
  let v2: CarV2Header | undefined
  let dataOffset = 0
  let dataEnd = Infinity
  if (first.block.version === 2) {
    if (first.length !== PRAGMA_SIZE || !hasPragma(reader.buf.subarray(first.start, first.start + PRAGMA_SIZE))) {
      throw new CarBadPragmaError('a version 2 header must be exactly the 11-byte CARv2 pragma')
    }
    if (!(await reader.fill(V2_PREFIX_SIZE))) throw new CarTruncatedError('unexpected end of input in the CARv2 header')
    v2 = decodeV2Header(reader.buf.subarray(reader.pos + PRAGMA_SIZE, reader.pos + PRAGMA_SIZE + V2_HEADER_SIZE))
    dataOffset = v2.dataOffset
    dataEnd = v2.dataOffset + v2.dataSize
    if ((await reader.skip(dataOffset)) < dataOffset) throw new CarTruncatedError('unexpected end of input before the CARv2 payload')
    first = await readHeaderBlock(reader, maxHeaderSize)
    if (first.block.version !== 1) throw new CarBadHeaderError(`the CARv2 payload header has version ${first.block.version}, not 1`)
  }
  reader.pos += first.length
  const headerLength = first.length
  let used = false

  async function* sections(): AsyncGenerator<RawSection> {
    if (used) throw new CarBadSectionError('a CarStream can be iterated only once')
    used = true
    try {
      for (;;) {
        throwIfAborted(options.signal)
        const at = reader.position
        if (at >= dataEnd) return
        if (reader.end - reader.pos < 10) await reader.fill(10)
        if (reader.end === reader.pos) {
          if (dataEnd === Infinity) return
          throw new CarTruncatedError(`unexpected end of input: the CARv2 payload should run to ${dataEnd}`)
        }
        const len = decodeVarint(reader.buf, reader.pos, reader.end)
        const offset = at - dataOffset
        if (len < 0) throw new CarTruncatedError(`unexpected end of input in the section length at payload offset ${offset}`)
        const vl = varintLength
        if (len === 0) {
          if (zeroAsEof) return
          throw new CarBadSectionError(`zero-length section at payload offset ${offset}`)
        }
        if (len > maxSection) throw new CarSectionTooLargeError(offset, len, maxSection)
        const total = vl + len
        if (at + total > dataEnd) throw new CarTruncatedError(`the section at payload offset ${offset} runs past the end of the payload`)
        if (!(await reader.fill(total))) throw new CarTruncatedError(`unexpected end of input: the section at payload offset ${offset} needs ${total} bytes`)
        const p = reader.pos
        const buf = reader.buf
        if (!parseCid(buf, p + vl, p + total)) throw new CarBadSectionError(`section at payload offset ${offset} is shorter than its CID`)
        const headerLength = vl + cidParts.length
        const cid = cidAt(buf, p + vl, p + headerLength)
        reader.pos += total
        yield {
          cid,
          bytes: buf.subarray(p + headerLength, p + total),
          offset,
          length: total,
          blockOffset: offset + headerLength,
          blockLength: total - headerLength,
        }
      }
    } finally {
      await reader.cancel()
    }
  }

  async function* blocks(): AsyncGenerator<CarBlock> {
    for await (const raw of sections()) {
      const bytes = await finishBlock(raw, options)
      yield { cid: raw.cid, bytes, offset: raw.offset, length: raw.length, blockOffset: raw.blockOffset, blockLength: raw.blockLength }
    }
  }

  return { version: v2 ? 2 : 1, roots: first.block.roots, v2, headerLength, reader, sections, blocks }
}
