/** Shared helpers of the CAR and blockstore tests: fixture paths, error matching, random blocks. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as Digest from 'multiformats/hashes/digest'
import { expect } from 'vitest'
import { blake2b } from '../../../src/store/car/blake2b.ts'
import { StoreError } from '../../../src/store/errors.ts'
import type { Block } from '../../../src/store/car/types.ts'

/** Absolute path of a fixture under test/fixtures/car. */
export function fixture(name: string): string {
  return new URL(`../../fixtures/car/${name}`, import.meta.url).pathname
}

/** Bytes of a fixture. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixture(name)))
}

/** Awaits `p` and asserts it rejects with a StoreError of `code`. */
export async function expectCode(p: Promise<unknown> | (() => Promise<unknown>), code: string): Promise<StoreError> {
  let err: unknown
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    err = e
  }
  expect(err, `expected rejection with ${code}`).toBeInstanceOf(StoreError)
  expect((err as StoreError).code).toBe(code)
  return err as StoreError
}

/** Asserts a synchronous call throws a StoreError of `code`. */
export function expectThrowsCode(fn: () => unknown, code: string): void {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(StoreError)
  expect((err as StoreError).code).toBe(code)
}

/** A temp directory, removed by the returned cleanup. */
export function tempDir(prefix = 'petal-car-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Hash function choices for generated blocks. */
export type HashChoice = 'sha2-256' | 'blake2b-256' | 'identity'

/** A block with `bytes`, CIDv1 with `codec` (raw by default) and the given hash. */
export async function makeBlock(bytes: Uint8Array, hash: HashChoice = 'sha2-256', codec = 0x55): Promise<Block> {
  let digest
  if (hash === 'sha2-256') digest = await sha256.digest(bytes)
  else if (hash === 'blake2b-256') digest = Digest.create(0xb220, blake2b(bytes, 32))
  else digest = Digest.create(0x00, bytes)
  return { cid: CID.createV1(codec, digest), bytes }
}

/** A dag-cbor block of `value` (sha2-256). */
export async function cborBlock(value: unknown): Promise<Block> {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(0x71, await sha256.digest(bytes)), bytes }
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Decodes a Go fuzz corpus file (`go test fuzz v1` + a `[]byte("…")` literal) into its input bytes. */
export function decodeGoFuzz(file: Uint8Array): Uint8Array {
  const text = Buffer.from(file)
  const start = text.indexOf('[]byte("') + 8
  const end = text.lastIndexOf('")')
  const out: number[] = []
  const hex = (s: string) => Number.parseInt(s, 16)
  for (let i = start; i < end; i++) {
    const c = text[i]
    if (c !== 0x5c) {
      out.push(c)
      continue
    }
    const e = String.fromCharCode(text[++i])
    const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 }
    if (e in simple) out.push(simple[e])
    else if (e === 'x') {
      out.push(hex(text.subarray(i + 1, i + 3).toString()))
      i += 2
    } else if (e >= '0' && e <= '7') {
      out.push(Number.parseInt(text.subarray(i, i + 3).toString(), 8))
      i += 2
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8
      out.push(...Buffer.from(String.fromCodePoint(hex(text.subarray(i + 1, i + 1 + n).toString()))))
      i += n
    } else throw new Error(`unknown Go escape \\${e}`)
  }
  return Uint8Array.from(out)
}

/** An AsyncIterable over `bytes` in chunks of `size` (to exercise chunk boundaries). */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size))
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

export { StoreError }
