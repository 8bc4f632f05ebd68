/**
 * Finds the extent of a binary CID inside a larger buffer without building a CID object, so scanning a
 * CAR costs no allocation per section. https://github.com/multiformats/cid#decoding-algorithm
 */
import { CarBadCidError } from './errors.ts'
import { decodeVarint, varintLength } from './varint.ts'

/** The parts of the CID the last successful `parseCid` call found (absolute positions in its buffer). */
export interface CidParts {
  /** Total CID length in bytes. */
  length: number
  version: 0 | 1
  /** Content codec (0x70 dag-pb for CIDv0). */
  codec: number
  /** Start of the multihash (code varint); it ends where the CID ends. */
  multihashStart: number
  /** Multihash code. */
  hashCode: number
  /** Start and length of the digest. */
  digestStart: number
  digestLength: number
}

/** Filled by `parseCid`; read it right after the call. */
export const cidParts: CidParts = { length: 0, version: 1, codec: 0, multihashStart: 0, hashCode: 0, digestStart: 0, digestLength: 0 }

/**
 * Parses the CID at `bytes[pos]`, reading no further than `end`. Returns false when it runs past `end`
 * (more input needed, or the section is shorter than its CID); throws CarBadCidError when the bytes cannot
 * be a CID. On success fills `cidParts`.
 */
export function parseCid(bytes: Uint8Array, pos: number, end: number): boolean {
  if (pos + 2 > end) return false
  if (bytes[pos] === 0x12 && bytes[pos + 1] === 0x20) {
    // CIDv0: a bare sha2-256 multihash.
    if (pos + 34 > end) return false
    cidParts.length = 34
    cidParts.version = 0
    cidParts.codec = 0x70
    cidParts.multihashStart = pos
    cidParts.hashCode = 0x12
    cidParts.digestStart = pos + 2
    cidParts.digestLength = 32
    return true
  }
  let p = pos
  const version = decodeVarint(bytes, p, end)
  if (version < 0) return false
  if (version !== 1) throw new CarBadCidError(`invalid CID version ${version}`)
  p += varintLength
  const codec = decodeVarint(bytes, p, end)
  if (codec < 0) return false
  p += varintLength
  const multihashStart = p
  const hashCode = decodeVarint(bytes, p, end)
  if (hashCode < 0) return false
  p += varintLength
  const digestLength = decodeVarint(bytes, p, end)
  if (digestLength < 0) return false
  p += varintLength
  if (p + digestLength > end) return false
  cidParts.length = p + digestLength - pos
  cidParts.version = 1
  cidParts.codec = codec
  cidParts.multihashStart = multihashStart
  cidParts.hashCode = hashCode
  cidParts.digestStart = p
  cidParts.digestLength = digestLength
  return true
}

/**
 * Parses the multihash `mh` (code varint, length varint, digest) and returns the digest's start; sets
 * `multihashCode`. Throws CarBadCidError when malformed.
 */
export function multihashDigestStart(mh: Uint8Array): number {
  const code = decodeVarint(mh, 0, mh.length)
  if (code < 0) throw new CarBadCidError('truncated multihash')
  let p = varintLength
  const len = decodeVarint(mh, p, mh.length)
  if (len < 0) throw new CarBadCidError('truncated multihash')
  p += varintLength
  if (p + len !== mh.length) throw new CarBadCidError('multihash length does not match its digest')
  multihashCode = code
  return p
}

/** Multihash code found by the last `multihashDigestStart` call. */
export let multihashCode = 0
