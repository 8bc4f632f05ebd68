/**
 * The native CAR kernels (libpetal car.c) against the TypeScript reference: indexes built by the section
 * scanner (random access and stream) and index bytes from the encoder must be identical, and hostile input must end in the same typed
 * error, with the kernels installed or not. Skipped when the library cannot be built here.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import * as fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { afterEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { forceNativeSha, openCarNative, openProofsNative, setNativeMode } from '../../../src/node/runtime/native/index.ts'
import {
  bytesSource,
  CarIndex,
  decodeIndex,
  encodeCar,
  encodeIndex,
  generateIndex,
  generateIndexFromStream,
  getCarNative,
  sha256,
  verifyCar,
  setCarNative,
  type Block,
  type CarNative,
  type IndexOptions,
} from '../../../src/store/car/index.ts'
import { chunked, collect, fixture, fixtureBytes, makeBlock, pseudoRandomBytes } from './helpers.ts'

function load(): CarNative | string {
  try {
    return openCarNative()
  } catch (err) {
    return (err as Error).message
  }
}
const loaded = load()
const native = typeof loaded === 'string' ? null : loaded

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/**
 * What generateIndex gives (index bytes, count, every entry's offset and size) or the error code; with
 * `chunk`, what generateIndexFromStream gives over chunks of that size.
 */
async function indexOf(car: Uint8Array, options: IndexOptions, withNative: boolean, chunk = 0): Promise<string> {
  setCarNative(withNative ? native : null)
  try {
    const index = chunk > 0 ? await generateIndexFromStream(chunked(car, chunk), options) : (await generateIndex(bytesSource(car), options)).index
    setCarNative(null)
    const rows: string[] = []
    for (let id = 0; id < index.count; id++) rows.push(`${hex(index.keyOf(id))}@${index.offsetOf(id)}+${index.sizeOf(id)}`)
    const codec = index.keyedBy === 'digest' ? 0x0400 : 0x0401
    return `${index.count}|${rows.join(',')}|${hex(encodeIndex(index, codec))}`
  } catch (err) {
    return `error ${(err as { code?: string }).code ?? String(err)}`
  } finally {
    setCarNative(null)
  }
}

async function expectSameIndex(car: Uint8Array, options: IndexOptions = {}, chunk = 0): Promise<string> {
  const ts = await indexOf(car, options, false, chunk)
  expect(await indexOf(car, options, true, chunk)).toBe(ts)
  return ts
}

function carFixtures(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return carFixtures(path)
    return name.endsWith('.car') ? [path] : []
  })
}

// Blocks of every CID shape the scanner meets: CIDv0, sha2/blake2b CIDv1, identity (empty too), a codec
// needing a three-byte varint, sizes around the 256 KiB scan window.
const shape = fc.record({
  size: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: (256 << 10) - 400, max: (256 << 10) + 400 }), fc.integer({ min: 1000, max: 300_000 })),
  kind: fc.constantFrom('v0', 'sha2-256', 'blake2b-256', 'identity', 'wide-codec'),
})

async function blockOf(size: number, kind: string, seed: number): Promise<Block> {
  const bytes = pseudoRandomBytes(kind === 'identity' ? size % 40 : size, seed)
  if (kind === 'identity') return makeBlock(bytes, 'identity')
  if (kind === 'wide-codec') return makeBlock(bytes, 'sha2-256', 0x300000)
  const b = await makeBlock(bytes, kind === 'v0' ? 'sha2-256' : (kind as 'sha2-256' | 'blake2b-256'))
  return kind === 'v0' ? { cid: CID.createV0(Digest.create(0x12, b.cid.multihash.digest)), bytes } : b
}

describe.skipIf(native === null)(`native CAR kernels${typeof loaded === 'string' ? ` (${loaded})` : ''}`, () => {
  afterEach(() => setCarNative(null))

  it('build the same index as the TypeScript scanner on random CARs, every keying and identity choice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(shape, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 70_000 }), async (shapes, includeIdentity, byDigest, chunk) => {
        const blocks = await Promise.all(shapes.map((s, i) => blockOf(s.size, s.kind, i + 1)))
        // A repeated block makes duplicate keys.
        blocks.push(blocks[0])
        const car = Buffer.concat(await collect(encodeCar([blocks[0].cid], blocks)))
        const options: IndexOptions = { includeIdentity, keyedBy: byDigest ? 'digest' : 'multihash' }
        const result = await expectSameIndex(car, options)
        expect(result.startsWith('error')).toBe(false)
        // The stream indexer too, its buffer cut at odd places.
        expect(await expectSameIndex(car, options, chunk)).toBe(result)
      }),
      { numRuns: 25 },
    )
  })

  it('build the same index, or fail with the same code, on every go-car fixture and on mutations of them', async () => {
    const files = carFixtures(fixture('.'))
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      const car = fixtureBytes(file.slice(fixture('.').length))
      await expectSameIndex(car)
      await expectSameIndex(car, { includeIdentity: true, keyedBy: 'digest', zeroLengthSectionAsEof: false })
      await expectSameIndex(car, {}, 1 << 16)
      await expectSameIndex(car, { includeIdentity: true }, 7)
    }
    const base = fixtureBytes('v2/sample-v1.car')
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.nat(255)), { minLength: 1, maxLength: 4 }), async (edits) => {
        const car = base.slice()
        for (const [at, v] of edits) car[at] = v
        await expectSameIndex(car, { maxSectionSize: 4096 })
        await expectSameIndex(car, { maxSectionSize: 4096 }, 997)
      }),
      { numRuns: 200 },
    )
  })

  it('encode the same index bytes as TypeScript: tied prefixes, duplicates, short digests, wide codes', () => {
    const entry = fc.record({
      code: fc.constantFrom(0x12, 0xb220, 0x00, 0x13, 2 ** 40),
      digest: fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 3, min: 0, max: 2 }),
        fc.uint8Array({ minLength: 5, maxLength: 6, min: 0, max: 1 }),
        fc.tuple(fc.nat(3), fc.nat(3)).map(([a, b]) => Uint8Array.from({ length: 32 }, (_, k) => (k === 31 ? b : k === 9 ? a : 5))),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
      ),
      offset: fc.oneof(fc.nat(1 << 30), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    })
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 600 }), fc.constantFrom(0x0400, 0x0401), fc.boolean(), (entries, codec, digestKeys) => {
        const index = new CarIndex(digestKeys ? 'digest' : 'multihash')
        for (const e of entries) {
          const key = digestKeys ? e.digest : Uint8Array.from([...varint(e.code), ...varint(e.digest.length), ...e.digest])
          index.add(key, 0, key.length, e.offset, -1)
        }
        if (digestKeys && codec === 0x0401) return
        setCarNative(null)
        const ts = hex(encodeIndex(index, codec))
        setCarNative(native)
        expect(hex(encodeIndex(index, codec))).toBe(ts)
      }),
      { numRuns: 100 },
    )
  })

  it('encode a long run of keys tied past the radix key in n log n (a hostile CAR cannot make it quadratic)', () => {
    const index = new CarIndex()
    for (let i = 0; i < 50_000; i++) {
      const mh = new Uint8Array(34)
      mh.set([0x12, 0x20, 1, 2, 3, 4])
      mh[32] = (50_000 - i) >> 8
      mh[33] = (50_000 - i) & 0xff
      index.add(mh, 0, 34, i, -1)
    }
    setCarNative(null)
    const ts = hex(encodeIndex(index))
    setCarNative(native)
    expect(hex(encodeIndex(index))).toBe(ts)
  })

  it('build the same hash table as TypeScript (slots, chains and all), duplicates and varied key lengths included', () => {
    const fill = (index: CarIndex) => {
      for (let i = 0; i < 9000; i++) {
        // Every seventh entry repeats an earlier key; lengths vary from 2 to 40 bytes.
        const n = i % 7 === 6 ? i - 6 : i
        const key = pseudoRandomBytes(2 + (n % 39), n)
        index.add(key, 0, key.length, i * 100, i % 5 === 0 ? -1 : i)
      }
      return index
    }
    const tables = [native, null].map((n) => {
      setCarNative(n)
      const index = fill(new CarIndex())
      const t = index.table() // builds the table: natively when installed and 4096+ entries
      setCarNative(null)
      return { index, t }
    })
    const [nat, ts] = tables
    expect(nat.t.distinct).toBe(ts.t.distinct)
    expect(nat.t.distinct).toBeLessThan(9000)
    for (const k of ['slots', 'hashes', 'next', 'last'] as const) expect(Buffer.from(nat.t[k].buffer).equals(Buffer.from(ts.t[k].buffer))).toBe(true)
    // And it answers the same: the nth copy of a repeated key, a missing key.
    const repeated = pseudoRandomBytes(2 + (0 % 39), 0)
    expect(nat.index.locate(repeated, 1)).toEqual(ts.index.locate(repeated, 1))
    expect(nat.index.locate(repeated, 1)).toEqual({ offset: 600, size: 6 })
    expect(nat.index.find(new Uint8Array([9, 9, 9]))).toBe(-1)
    // A native putMany can carry on from a natively built table (same layout as addIfAbsent expects).
    const key = pseudoRandomBytes(33, 123_456)
    expect(nat.index.addIfAbsent(key, 0, key.length, 1, 1)).toBe(9000)
    expect(nat.index.addIfAbsent(key, 0, key.length, 1, 1)).toBe(-1)
  })

  /** What decodeIndex gives for `bytes` (codec, every entry) or its error code, with or without libpetal. */
  const decoded = async (bytes: Uint8Array, withNative: boolean): Promise<string> => {
    setCarNative(withNative ? native : null)
    try {
      const { codec, index } = await decodeIndex(bytes)
      const rows: string[] = []
      for (let id = 0; id < index.count; id++) rows.push(`${hex(index.keyOf(id))}@${index.offsetOf(id)}+${index.sizeOf(id)}`)
      return `${codec}|${index.keyedBy}|${index.count}|${rows.join(',')}`
    } catch (err) {
      return `error ${(err as { code?: string }).code ?? String(err)}`
    } finally {
      setCarNative(null)
    }
  }
  const sameDecode = async (bytes: Uint8Array): Promise<string> => {
    const ts = await decoded(bytes, false)
    expect(await decoded(bytes, true)).toBe(ts)
    return ts
  }

  it('read index files into the same entries as TypeScript, or fail with the same code: fixtures, large and broken indexes', async () => {
    for (const name of ['sample-index.carindex', 'sample-multihash-index-sorted.carindex']) {
      const bytes = fixtureBytes(`v2/${name}`)
      expect(await sameDecode(bytes)).not.toMatch(/^error/)
      // Every cut and a flipped byte in each of the first 300 positions and across the entries.
      for (let cut = 0; cut < bytes.length; cut += 997) await sameDecode(bytes.subarray(0, cut))
      for (let at = 0; at < bytes.length; at += at < 300 ? 1 : 211) {
        const bad = Uint8Array.from(bytes)
        bad[at] ^= 0x80
        await sameDecode(bad)
      }
    }
    // More than one 1 MiB read window, with duplicate keys, both codecs, several digest lengths.
    for (const codec of [0x0400, 0x0401] as const) {
      const index = new CarIndex(codec === 0x0400 ? 'digest' : 'multihash')
      for (let i = 0; i < 40_000; i++) {
        const n = i % 9 === 8 ? i - 8 : i
        const digest = pseudoRandomBytes(n % 3 === 0 ? 20 : 32, n)
        const mh = Uint8Array.from([n % 3 === 0 ? 0x11 : 0x12, digest.length, ...digest])
        if (codec === 0x0400) index.add(digest, 0, digest.length, i * 40, -1)
        else index.add(mh, 0, mh.length, i * 40, -1)
      }
      const bytes = encodeIndex(index, codec)
      expect(bytes.length).toBeGreaterThan(1 << 20)
      expect(await sameDecode(bytes)).toMatch(new RegExp(`^${codec}\\|`))
      // An offset of 2^53 and a digest out of order, deep inside the large bucket.
      const bad = Uint8Array.from(bytes)
      bad[bad.length - 1] = 0x20 // the last entry's offset ≥ 2^53
      expect(await sameDecode(bad)).toBe('error E_CAR_BAD_INDEX')
      const unsorted = Uint8Array.from(bytes)
      unsorted.fill(0xff, unsorted.length - 40 * 30_000, unsorted.length - 40 * 30_000 + 32) // one digest becomes the largest
      expect(await sameDecode(unsorted)).toBe('error E_CAR_BAD_INDEX')
    }
  })

  it('hash SHA-256 like node:crypto, on both SHA paths, at every length around the block and padding edges', () => {
    const detected = openProofsNative().sha
    const data = pseudoRandomBytes((1 << 20) + 200, 9)
    const lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 1024, 4096, 65_537, 1 << 20]
    try {
      for (const sha of detected === 'sha-ni' ? (['portable', 'sha-ni'] as const) : (['portable'] as const)) {
        forceNativeSha(sha)
        for (const length of lengths) {
          for (const at of [0, 1, 7]) {
            const bytes = data.subarray(at, at + length)
            const want = createHash('sha256').update(bytes).digest('hex')
            expect(hex(native!.sha256(bytes)), `${sha} ${length}@${at}`).toBe(want)
            setCarNative(native)
            expect(hex(sha256(bytes))).toBe(want)
            setCarNative(null)
            expect(hex(sha256(bytes))).toBe(want)
          }
        }
      }
    } finally {
      forceNativeSha(detected)
    }
  })

  it('verify blocks with the native SHA-256: a good CAR passes, a flipped byte fails with the same code', async () => {
    const blocks = await Promise.all([10, 3000, 70_000].map((n, i) => makeBlock(pseudoRandomBytes(n, i + 40))))
    const car = Buffer.concat(await collect(encodeCar([blocks[0].cid], blocks)))
    const bad = Uint8Array.from(car)
    bad[bad.length - 5] ^= 1
    const outcome = async (bytes: Uint8Array) => {
      const r = await verifyCar(bytesSource(bytes)).then(
        (v) => JSON.stringify(v),
        (err) => `error ${(err as { code?: string }).code}`,
      )
      return r
    }
    const ts = [await outcome(car), await outcome(bad)]
    setCarNative(native)
    expect([await outcome(car), await outcome(bad)]).toEqual(ts)
    expect(ts[1]).not.toBe(ts[0])
  })

  it('are installed by native mode auto/on and removed by off', () => {
    try {
      expect(setNativeMode('auto').active).toBe(true)
      expect(getCarNative()).not.toBeNull()
      setNativeMode('off')
      expect(getCarNative()).toBeNull()
    } finally {
      setNativeMode('off')
    }
  })
})

function varint(n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
  return out
}
