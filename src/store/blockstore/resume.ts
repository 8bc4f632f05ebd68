/**
 * Resumption of a ReadWrite CARv2 after a crash or a finalize: check the file is ours (pragma, padding,
 * roots), un-finalize it (drop the index, zero the header), re-index every complete section and cut a
 * torn tail. Nothing is changed until the checks pass, so a mismatch leaves the file byte for byte as it was.
 */
import { fstatSync, ftruncateSync, readSync, writeSync } from 'node:fs'
import type { CID } from 'multiformats/cid'
import { fileSource } from '../car/byte-source.ts'
import { CarIndex } from '../car/car-index.ts'
import { cidParts } from '../car/cid-bytes.ts'
import { DEFAULT_MAX_HEADER_SIZE, IDENTITY, PRAGMA, PRAGMA_SIZE, V2_HEADER_SIZE, V2_PREFIX_SIZE } from '../car/constants.ts'
import { CarWrongVersionError } from '../car/errors.ts'
import { decodeHeaderBlock, decodeV2Header, encodeV1Header } from '../car/header.ts'
import { digestMatches } from '../car/hashing.ts'
import { scanSections } from '../car/scan.ts'
import type { CarLayout, ReadOptions } from '../car/types.ts'
import { StoreError } from '../errors.ts'
import { decodeVarint, varintLength } from '../car/varint.ts'
import { ResumeCorruptError, ResumeMismatchError } from './errors.ts'

/** What resumption needs to know. */
export interface ResumeParams extends ReadOptions {
  roots: readonly CID[]
  dataPadding: number
  storeIdentityCids: boolean
  /** Hash-check every section; the first that fails starts the torn tail (default false). */
  verify?: boolean
}

/** The state of a resumed file. */
export interface ResumeState {
  dataOffset: number
  /** Absolute position where the next section goes. */
  end: number
  index: CarIndex
  /** Blocks found in the file. */
  blocks: number
  /** Bytes cut from a torn tail (or a dropped index). */
  truncatedBytes: number
  /** Whether the file had been finalized. */
  wasFinalized: boolean
}

function readAt(fd: number, position: number, length: number): Uint8Array {
  const buf = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return buf.subarray(0, done)
}

function isPrefixOf(part: Uint8Array, whole: Uint8Array): boolean {
  if (part.length > whole.length) return false
  for (let i = 0; i < part.length; i++) if (part[i] !== whole[i]) return false
  return true
}

function sameRoots(a: readonly CID[], b: readonly CID[]): boolean {
  return a.length === b.length && a.every((r, i) => r.equals(b[i]))
}

/**
 * Whether a non-empty file at `fd` can be started over: it holds nothing but a prefix of the bytes a fresh
 * store would write (a crash during creation).
 */
export function isTornCreation(fd: number, fresh: Uint8Array): boolean {
  const size = fstatSync(fd).size
  return size <= fresh.length && isPrefixOf(readAt(fd, 0, size), fresh)
}

/** Resumes the CARv2 open at `fd` (non-empty); see the module comment. */
export async function resumeFile(fd: number, path: string, params: ResumeParams): Promise<ResumeState> {
  let size = fstatSync(fd).size
  const head = readAt(fd, 0, Math.min(size, V2_PREFIX_SIZE))
  if (!isPrefixOf(head.subarray(0, PRAGMA_SIZE), PRAGMA) || head.length < PRAGMA_SIZE) {
    // Say what it is if it is a CAR at all: a CARv1, another version, or not a CAR.
    const len = decodeVarint(head, 0, head.length)
    if (len > 0 && len <= (params.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE) && varintLength + len <= size) {
      const block = decodeHeaderBlock(readAt(fd, varintLength, len))
      throw new CarWrongVersionError(block.version, `cannot resume on a CARv${block.version} file`)
    }
    throw new ResumeCorruptError(`${path} does not start with the CARv2 pragma`)
  }
  const headerBytes = new Uint8Array(V2_HEADER_SIZE)
  headerBytes.set(head.subarray(PRAGMA_SIZE))
  const finalized = headerBytes.some((b) => b !== 0)
  const wantOffset = V2_PREFIX_SIZE + params.dataPadding
  let dataOffset = wantOffset
  let dataEndLimit = size
  if (finalized) {
    let header
    try {
      header = decodeV2Header(headerBytes)
    } catch (err) {
      throw new ResumeCorruptError(`${path} has a corrupt CARv2 header`, { cause: err })
    }
    if (header.dataOffset !== wantOffset) {
      throw new ResumeMismatchError(`${path} has ${header.dataOffset - V2_PREFIX_SIZE} bytes of data padding, not ${params.dataPadding}`)
    }
    dataOffset = header.dataOffset
    dataEndLimit = header.dataOffset + header.dataSize
    if (dataEndLimit > size) throw new ResumeCorruptError(`${path} is shorter than its CARv2 header says`)
  }
  // The inner header must be the one we would write, or (crash during creation) a prefix of it.
  const expected = encodeV1Header(params.roots)
  const inner = readAt(fd, dataOffset, Math.min(expected.length, Math.max(0, size - dataOffset)))
  let headerLength = expected.length
  if (inner.length < expected.length) {
    if (!isPrefixOf(inner, expected)) throw new ResumeMismatchError(`${path} has a different CARv1 header (roots)`)
    writeAll(fd, expected, dataOffset)
    size = Math.max(size, dataOffset + expected.length)
  } else if (!isPrefixOf(expected, inner)) {
    headerLength = checkForeignHeader(fd, dataOffset, size, params)
  }
  const truncatedIndex = finalized ? size - dataEndLimit : 0
  if (finalized) {
    // Drop the index first, then zero the header: a crash in between leaves a finalized file to resume again.
    ftruncateSync(fd, dataEndLimit)
    writeAll(fd, new Uint8Array(V2_HEADER_SIZE), PRAGMA_SIZE)
    size = dataEndLimit
  }

  const layout: CarLayout = { version: 2, roots: [...params.roots], dataOffset, dataSize: size - dataOffset, headerLength }
  const index = new CarIndex('multihash', Math.max(1024, Math.floor(layout.dataSize / 4096)))
  const source = fileSource(fd, path, size)
  const verify = params.verify === true && params.trusted !== true
  let blocks = 0
  let badFrom = -1
  let scan
  try {
    scan = await scanSections(
      source,
      layout,
      (s) => {
        if (verify) {
          const data = s.buf.subarray(s.at + s.headerLength, s.at + s.length)
          if (!digestMatches(cidParts.hashCode, s.buf, cidParts.digestStart, cidParts.digestLength, data, params.hashers)) {
            badFrom = s.offset
            return false
          }
        }
        blocks++
        if (cidParts.hashCode === IDENTITY && !params.storeIdentityCids) return
        index.add(s.buf, cidParts.multihashStart, s.at + s.headerLength, s.offset, s.length - s.headerLength)
      },
      { withData: verify, tolerateTruncation: true, zeroLengthSectionAsEof: true, maxSectionSize: params.maxSectionSize, signal: params.signal },
    )
  } catch (err) {
    if (err instanceof StoreError && err.code !== 'E_ABORTED') throw new ResumeCorruptError(`${path} cannot be resumed: ${err.message}`, { cause: err })
    throw err
  }
  const endOffset = badFrom >= 0 ? badFrom : scan.end
  const end = dataOffset + endOffset
  if (end < size) ftruncateSync(fd, end)
  return { dataOffset, end, index, blocks, truncatedBytes: truncatedIndex + (size - end), wasFinalized: finalized }
}

/** A CARv1 header that is not byte-identical to ours: accept it if it decodes to the same roots. */
function checkForeignHeader(fd: number, dataOffset: number, size: number, params: ResumeParams): number {
  const prefix = readAt(fd, dataOffset, Math.min(10, size - dataOffset))
  const len = decodeVarint(prefix, 0, prefix.length)
  const vl = varintLength
  if (len > (params.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE)) throw new ResumeCorruptError('the file has a CARv1 header over the size cap')
  if (len <= 0 || dataOffset + vl + len > size) throw new ResumeMismatchError('the file has a different CARv1 header (roots)')
  let block
  try {
    block = decodeHeaderBlock(readAt(fd, dataOffset + vl, len))
  } catch (err) {
    throw new ResumeCorruptError('the file has a corrupt CARv1 header', { cause: err })
  }
  if (block.version !== 1 || !sameRoots(block.roots, params.roots)) throw new ResumeMismatchError('the file has a different CARv1 header (roots)')
  return vl + len
}

function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done)
}
