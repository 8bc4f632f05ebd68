/** Payload generators of the reference test suites, and small byte helpers. */
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'

/** data-segment test/util.js `deriveBuffer`: SHA-512("") then SHA-512 of the previous 64 bytes, truncated. */
export function deriveBuffer(size: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(size / 64) * 64)
  let block: Uint8Array = createHash('sha512').update(new Uint8Array(0)).digest()
  for (let at = 0; at < out.length; at += 64) {
    out.set(block, at)
    block = createHash('sha512').update(block).digest()
  }
  return out.subarray(0, size)
}

/** The raw (codec 0x55) sha2-256 CIDv1 of bytes, as data-segment's vector.csv lists payloads. */
export function rawSha256Cid(bytes: Uint8Array): string {
  return CID.createV1(0x55, Digest.create(0x12, createHash('sha256').update(bytes).digest())).toString()
}

/** `n` bytes of `value`. */
export function filled(n: number, value: number): Uint8Array {
  return new Uint8Array(n).fill(value)
}

/** The payload: byte i is i % 251. */
export function mod251(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = i % 251
  return out
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export function fromHex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'hex'))
}

/** Splits `bytes` into chunks of pseudo-random sizes (deterministic for a seed), as an async iterable. */
export async function* chunked(bytes: Uint8Array, seed = 1, maxChunk = 70_000): AsyncIterable<Uint8Array> {
  let s = seed >>> 0 || 1
  for (let at = 0; at < bytes.length; ) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    const n = Math.min(bytes.length - at, 1 + (s % maxChunk))
    yield bytes.subarray(at, at + n)
    at += n
  }
}

/** Reads an error's code for `toThrow`-style assertions. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

/** The code an async function rejects with. */
export async function codeOfAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}
