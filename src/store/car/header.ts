/**
 * CAR headers: the CARv1 header (varint length + DAG-CBOR `{roots, version}`) and the CARv2 pragma and
 * 40-byte fixed header. https://ipld.io/specs/transport/car/carv1/#header ,
 * https://ipld.io/specs/transport/car/carv2/#header
 */
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { FULLY_INDEXED_BIT, PRAGMA, PRAGMA_SIZE, V2_HEADER_SIZE, V2_PREFIX_SIZE } from './constants.ts'
import { CarBadHeaderError, CarBadPragmaError, CarUnsupportedVersionError } from './errors.ts'
import type { CarV2Header } from './types.ts'
import { encodeVarintInto, varintSize } from './varint.ts'

/** The CARv1 header for `roots`, with its varint length prefix. */
export function encodeV1Header(roots: readonly CID[]): Uint8Array {
  const body = dagCbor.encode({ roots: [...roots], version: 1 })
  const out = new Uint8Array(varintSize(body.length) + body.length)
  out.set(body, encodeVarintInto(body.length, out, 0))
  return out
}

/** A decoded header block: its version, and its roots when it is a CARv1 header. */
export interface HeaderBlock {
  version: number
  roots: CID[]
}

/**
 * Decodes a header block (the bytes after the length varint). Version 1 needs `roots`, an array of CIDs;
 * version 2 is the pragma `{version: 2}` and must be exactly that; any other version is unsupported.
 */
export function decodeHeaderBlock(bytes: Uint8Array): HeaderBlock {
  let value: unknown
  try {
    value = dagCbor.decode(bytes)
  } catch (err) {
    throw new CarBadHeaderError('CAR header is not valid DAG-CBOR', { cause: err })
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new CarBadHeaderError('CAR header is not a map')
  }
  const map = value as Record<string, unknown>
  const version = map.version
  if (typeof version !== 'number' || !Number.isInteger(version)) throw new CarBadHeaderError('CAR header has no integer version')
  if (version === 2) return { version, roots: [] }
  if (version !== 1) throw new CarUnsupportedVersionError(version)
  const roots = map.roots
  if (!Array.isArray(roots)) throw new CarBadHeaderError('CARv1 header has no roots array')
  for (const r of roots) if (CID.asCID(r) === null) throw new CarBadHeaderError('CARv1 header roots must be CIDs')
  return { version, roots: roots.map((r) => CID.asCID(r) as CID) }
}

/** Whether `bytes` starts with the exact CARv2 pragma. */
export function hasPragma(bytes: Uint8Array): boolean {
  if (bytes.length < PRAGMA_SIZE) return false
  for (let i = 0; i < PRAGMA_SIZE; i++) if (bytes[i] !== PRAGMA[i]) return false
  return true
}

/** Throws unless `bytes` (at least 11) are the CARv2 pragma. */
export function checkPragma(bytes: Uint8Array): void {
  if (!hasPragma(bytes)) throw new CarBadPragmaError('a version 2 header must be exactly the 11-byte CARv2 pragma')
}

function readU64(view: DataView, at: number, field: string): number {
  const v = view.getBigUint64(at, true)
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CarBadHeaderError(`CARv2 ${field} ${v} is out of range`)
  return Number(v)
}

/**
 * Decodes the 40-byte CARv2 header and checks it against the size of the file it came from (when known):
 * data offset ≥ 51, data size > 0, payload inside the file, index (when present) after the payload.
 */
export function decodeV2Header(bytes: Uint8Array, fileSize?: number): CarV2Header {
  if (bytes.length < V2_HEADER_SIZE) throw new CarBadHeaderError('CARv2 header is shorter than 40 bytes')
  const view = new DataView(bytes.buffer, bytes.byteOffset, V2_HEADER_SIZE)
  const header: CarV2Header = {
    characteristics: bytes.slice(0, 16),
    fullyIndexed: (bytes[0] & FULLY_INDEXED_BIT) !== 0,
    dataOffset: readU64(view, 16, 'data offset'),
    dataSize: readU64(view, 24, 'data size'),
    indexOffset: readU64(view, 32, 'index offset'),
  }
  validateV2Header(header, fileSize)
  return header
}

/** Throws CarBadHeaderError when the header's offsets are impossible. */
export function validateV2Header(h: CarV2Header, fileSize?: number): void {
  if (h.dataOffset < V2_PREFIX_SIZE) throw new CarBadHeaderError(`invalid data payload offset: ${h.dataOffset}`)
  if (h.dataSize <= 0) throw new CarBadHeaderError(`invalid data payload size: ${h.dataSize}`)
  const dataEnd = h.dataOffset + h.dataSize
  if (!Number.isSafeInteger(dataEnd)) throw new CarBadHeaderError('CARv2 payload end is out of range')
  if (fileSize !== undefined && dataEnd > fileSize) {
    throw new CarBadHeaderError(`CARv2 payload ends at ${dataEnd}, past the end of the file (${fileSize})`)
  }
  if (h.indexOffset !== 0) {
    if (h.indexOffset < dataEnd) throw new CarBadHeaderError(`invalid index offset ${h.indexOffset}: inside the payload`)
    if (fileSize !== undefined && h.indexOffset >= fileSize) {
      throw new CarBadHeaderError(`invalid index offset ${h.indexOffset}: past the end of the file (${fileSize})`)
    }
  }
}

/** Encodes the 40-byte CARv2 header. */
export function encodeV2Header(h: Omit<CarV2Header, 'characteristics'> & { characteristics?: Uint8Array }): Uint8Array {
  const out = new Uint8Array(V2_HEADER_SIZE)
  if (h.characteristics) out.set(h.characteristics.subarray(0, 16))
  if (h.fullyIndexed) out[0] |= FULLY_INDEXED_BIT
  else out[0] &= ~FULLY_INDEXED_BIT
  const view = new DataView(out.buffer)
  view.setBigUint64(16, BigInt(h.dataOffset), true)
  view.setBigUint64(24, BigInt(h.dataSize), true)
  view.setBigUint64(32, BigInt(h.indexOffset), true)
  return out
}

/** Pragma + header: the first 51 bytes of a CARv2. */
export function encodeV2Prefix(h: Parameters<typeof encodeV2Header>[0]): Uint8Array {
  const out = new Uint8Array(V2_PREFIX_SIZE)
  out.set(PRAGMA, 0)
  out.set(encodeV2Header(h), PRAGMA_SIZE)
  return out
}
