/**
 * Block verification: hash the bytes with the CID's hash function and compare with its digest. sha2-256
 * comes from the native library when one is installed (`setCarNative`), else from node:crypto, like sha2-512
 * and sha3; blake2b-256 from node:crypto where the runtime has it (Bun), else from the TypeScript BLAKE2b.
 * Identity compares the bytes themselves.
 */
import * as crypto from 'node:crypto'
import { blake2b } from './blake2b.ts'
import { BLAKE2B_256, IDENTITY } from './constants.ts'
import { CarUnsupportedHashError } from './errors.ts'
import { getCarNative } from './native.ts'
import type { DigestFunction } from './types.ts'

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array
const oneShot = (crypto as unknown as { hash?: OneShot }).hash

function nodeDigest(algorithm: string): DigestFunction {
  if (typeof oneShot === 'function') return (bytes) => oneShot(algorithm, bytes, 'buffer')
  return (bytes) => crypto.createHash(algorithm).update(bytes).digest()
}

const nodeSha256 = nodeDigest('sha256')

/**
 * SHA-256 of `bytes` by the fastest path at hand: libpetal's (SHA-NI, with the input prefetched) when
 * installed — 1.2× node:crypto on 1 KiB blocks and 1.6× on 1 MiB blocks read from memory here — else
 * node:crypto's.
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  const native = getCarNative()
  return native === null ? nodeSha256(bytes) : native.sha256(bytes)
}

// blake2b-256 of "abc" (RFC 7693 parameterisation with a 32-byte digest).
const BLAKE2B_256_ABC = 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319'

function pickBlake2b256(): DigestFunction {
  try {
    const got = crypto.createHash('blake2b256').update('abc').digest('hex')
    if (got === BLAKE2B_256_ABC) return nodeDigest('blake2b256')
  } catch (err) {
    // This runtime's OpenSSL has no blake2b256; the TypeScript implementation below answers instead.
    void err
  }
  return (bytes) => blake2b(bytes, 32)
}

/** The hash functions petal verifies out of the box, by multihash code. */
export const DIGESTS: ReadonlyMap<number, DigestFunction> = new Map<number, DigestFunction>([
  [0x12, sha256],
  [0x13, nodeDigest('sha512')],
  [0x14, nodeDigest('sha3-512')],
  [0x15, nodeDigest('sha3-384')],
  [0x16, nodeDigest('sha3-256')],
  [0x17, nodeDigest('sha3-224')],
  [BLAKE2B_256, pickBlake2b256()],
])

/**
 * Whether `bytes` hashes to `digest[start, start + length)` under multihash `code` (a digest shorter than
 * the function's output is a truncated multihash and compares as a prefix). Throws
 * CarUnsupportedHashError for a code it cannot compute.
 */
export function digestMatches(
  code: number,
  digest: Uint8Array,
  start: number,
  length: number,
  bytes: Uint8Array,
  extra?: Record<number, DigestFunction>,
): boolean {
  if (code === IDENTITY) {
    if (bytes.length !== length) return false
    for (let i = 0; i < length; i++) if (bytes[i] !== digest[start + i]) return false
    return true
  }
  const fn = extra?.[code] ?? DIGESTS.get(code)
  if (fn === undefined) throw new CarUnsupportedHashError(code)
  const actual = fn(bytes)
  if (length > actual.length) return false
  for (let i = 0; i < length; i++) if (actual[i] !== digest[start + i]) return false
  return true
}
