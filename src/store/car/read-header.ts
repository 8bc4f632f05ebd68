/**
 * Reads the headers of a CAR at random access: the first header block decides the version; a CARv2 then
 * has its fixed header checked and its inner CARv1 header read at the data offset.
 */
import { readExactly, readInto } from './byte-source.ts'
import { DEFAULT_MAX_HEADER_SIZE, PRAGMA_SIZE, V2_HEADER_SIZE } from './constants.ts'
import { CarBadHeaderError, CarBadPragmaError, CarHeaderTooLargeError, CarTruncatedError } from './errors.ts'
import { checkPragma, decodeHeaderBlock, decodeV2Header, type HeaderBlock } from './header.ts'
import type { ByteSource, CarLayout, ReadOptions } from './types.ts'
import { decodeVarint, varintLength } from './varint.ts'

/** Reads the header block at `position` (bounded by `end`): its decoded content and total length. */
async function readHeaderBlockAt(
  source: ByteSource,
  position: number,
  end: number,
  maxHeaderSize: number,
): Promise<{ block: HeaderBlock; length: number; raw: Uint8Array }> {
  const head = new Uint8Array(Math.min(10, Math.max(0, end - position)))
  const got = await readInto(source, head, position)
  const len = decodeVarint(head, 0, got)
  if (len < 0) throw new CarTruncatedError('unexpected end of input in the CAR header length')
  const prefix = varintLength
  if (len === 0) throw new CarBadHeaderError('CAR header has zero length')
  if (len > maxHeaderSize) throw new CarHeaderTooLargeError(len, maxHeaderSize)
  if (position + prefix + len > end) throw new CarTruncatedError(`unexpected end of input: CAR header needs ${len} bytes`)
  const raw = await readExactly(source, position + prefix, len, 'the CAR header')
  return { block: decodeHeaderBlock(raw), length: prefix + len, raw }
}

/** The layout of the CAR in `source`: version, roots, CARv2 header, where the payload and first section are. */
export async function readCarLayout(source: ByteSource, options: ReadOptions = {}): Promise<CarLayout> {
  const maxHeaderSize = options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE
  const size = source.size
  const first = await readHeaderBlockAt(source, 0, size, maxHeaderSize)
  if (first.block.version === 1) {
    return { version: 1, roots: first.block.roots, dataOffset: 0, dataSize: size, headerLength: first.length }
  }
  if (first.length !== PRAGMA_SIZE) throw new CarBadPragmaError('a version 2 header must be exactly the 11-byte CARv2 pragma')
  checkPragma(await readExactly(source, 0, PRAGMA_SIZE, 'the CARv2 pragma'))
  const v2 = decodeV2Header(await readExactly(source, PRAGMA_SIZE, V2_HEADER_SIZE, 'the CARv2 header'), size)
  const inner = await readHeaderBlockAt(source, v2.dataOffset, v2.dataOffset + v2.dataSize, maxHeaderSize)
  if (inner.block.version !== 1) throw new CarBadHeaderError(`the CARv2 payload header has version ${inner.block.version}, not 1`)
  return { version: 2, roots: inner.block.roots, v2, dataOffset: v2.dataOffset, dataSize: v2.dataSize, headerLength: inner.length }
}
