/**
 * Lotus's positional-reference blocks (go-filestore `DataObj`), which stand in for leaves inside a
 * ref-CARv2: the leaf's bytes stay in the user's file, and the CAR holds where to find them.
 * Key: "/filestore/" + base32 (RFC 4648, upper case, no padding) of the leaf's multihash; block CID:
 * CIDv1(raw, sha2-256(key)); block bytes: protobuf `DataObj { FilePath = 1; Offset = 2; Size = 3 }`
 * with the path relative to "/".
 */
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import * as raw from 'multiformats/codecs/raw'
import { varint } from 'multiformats'
import { InvalidReferenceError } from './errors.ts'

/** Where a leaf's bytes live. */
export interface FileRef {
  /** Absolute path of the file. */
  path: string
  offset: number
  size: number
}

const FILESTORE_PREFIX = '/filestore/'
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32, upper case, without padding (go's base32.RawStdEncoding). */
export function base32UpperNoPad(bytes: Uint8Array): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

/** The datastore key Lotus files a leaf's reference under. */
export function referenceKey(leaf: CID): string {
  return FILESTORE_PREFIX + base32UpperNoPad(leaf.multihash.bytes)
}

/** The CID of the reference block for `leaf`: raw, sha2-256 of the key. */
export function referenceCid(leaf: CID): CID {
  const d = createHash('sha256').update(referenceKey(leaf)).digest()
  return CID.createV1(raw.code, Digest.create(0x12, new Uint8Array(d.buffer, d.byteOffset, 32)))
}

/** Encodes a DataObj; the path is written relative to "/", as go-filestore does. */
export function encodeReference(ref: FileRef): Uint8Array {
  const path = new TextEncoder().encode(ref.path.replace(/^\/+/, ''))
  const parts: number[] = [0x0a, ...varint.encodeTo(path.length, new Uint8Array(10)).subarray(0, varint.encodingLength(path.length))]
  const out: Uint8Array[] = [Uint8Array.from(parts), path, field(0x10, ref.offset), field(0x18, ref.size)]
  const total = out.reduce((n, a) => n + a.length, 0)
  const bytes = new Uint8Array(total)
  let at = 0
  for (const a of out) {
    bytes.set(a, at)
    at += a.length
  }
  return bytes
}

function field(tag: number, value: number): Uint8Array {
  const n = varint.encodingLength(value)
  const b = new Uint8Array(1 + n)
  b[0] = tag
  varint.encodeTo(value, b, 1)
  return b
}

/** Decodes a DataObj into an absolute path, offset and size; unknown fields are skipped. */
export function decodeReference(bytes: Uint8Array): FileRef {
  let path: string | undefined
  let offset = 0
  let size: number | undefined
  let at = 0
  try {
    while (at < bytes.length) {
      const [key, n] = varint.decode(bytes, at)
      at += n
      const wire = key & 7
      const num = key >>> 3
      if (wire === 0) {
        const [v, m] = varint.decode(bytes, at)
        at += m
        if (num === 2) offset = v
        else if (num === 3) size = v
      } else if (wire === 2) {
        const [len, m] = varint.decode(bytes, at)
        at += m
        if (at + len > bytes.length) throw new RangeError('field past end')
        if (num === 1) path = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + len))
        at += len
      } else if (wire === 1) at += 8
      else if (wire === 5) at += 4
      else throw new RangeError(`unsupported wire type ${wire}`)
    }
  } catch (cause) {
    throw new InvalidReferenceError('malformed DataObj', { cause })
  }
  if (path === undefined || size === undefined) throw new InvalidReferenceError('DataObj lacks FilePath or Size')
  return { path: `/${path}`, offset, size }
}
