/**
 * The readers and writers against @ipld/car on random CARs (same bytes written, same offsets read), the
 * size caps, hash verification (sha2-256, blake2b-256, identity, unknown hashes, trusted sources) and the
 * resolve hook a ref-CAR reader plugs in.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CarReader, CarWriter } from '@ipld/car'
import { CarIndexer } from '@ipld/car/indexer'
import * as fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { afterAll, describe, expect, it } from 'vitest'
import { openReadOnly, ReadOnlyBlockstore } from '../../../src/store/blockstore/index.ts'
import {
  bytesSource,
  encodeCar,
  encodeIndex,
  generateIndex,
  generateIndexFromStream,
  inspectCar,
  readCarStream,
  verifyCar,
  writeCarFile,
  type Block,
  type RawSection,
} from '../../../src/store/car/index.ts'
import { chunked, collect, expectCode, makeBlock, tempDir, type HashChoice } from './helpers.ts'

const tmp = tempDir()
afterAll(tmp.cleanup)

async function concat(parts: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const all = await collect(parts)
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of all) {
    out.set(p, at)
    at += p.length
  }
  return out
}

async function ipldCarBytes(roots: CID[], blocks: Block[]): Promise<Uint8Array> {
  const { writer, out } = CarWriter.create(roots)
  const done = concat(out)
  for (const b of blocks) await writer.put(b)
  await writer.close()
  return done
}

const blockSpec = fc.record({
  bytes: fc.uint8Array({ minLength: 0, maxLength: 3000 }),
  hash: fc.constantFrom<HashChoice>('sha2-256', 'sha2-256', 'blake2b-256', 'identity'),
  codec: fc.constantFrom(0x55, 0x71, 0x70),
})

async function blocksOf(specs: Array<{ bytes: Uint8Array; hash: HashChoice; codec: number }>): Promise<Block[]> {
  return Promise.all(specs.map((s) => makeBlock(s.bytes, s.hash, s.codec)))
}

describe('against @ipld/car', () => {
  it('encodeCar writes the same bytes as CarWriter for any blocks and roots', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(blockSpec, { maxLength: 12 }), fc.nat(3), async (specs, rootCount) => {
        const blocks = await blocksOf(specs)
        const roots = blocks.slice(0, rootCount).map((b) => b.cid)
        const ours = await concat(encodeCar(roots, blocks))
        expect(Buffer.from(ours).equals(Buffer.from(await ipldCarBytes(roots, blocks)))).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it('the streaming reader finds the blocks and offsets CarIndexer finds, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(blockSpec, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 700 }), async (specs, chunk) => {
        const blocks = await blocksOf(specs)
        const car = await ipldCarBytes([blocks[0].cid], blocks)
        const theirs = await collect(await CarIndexer.fromBytes(car))
        const stream = await readCarStream(chunked(car, chunk))
        const ours = await collect(stream.blocks())
        expect(ours.map((b) => [b.cid.toString(), b.offset, b.length, b.blockOffset, b.blockLength])).toEqual(
          theirs.map((b) => [b.cid.toString(), b.offset, b.length, b.blockOffset, b.blockLength]),
        )
        ours.forEach((b, i) => expect(Buffer.from(b.bytes).equals(Buffer.from(blocks[i].bytes))).toBe(true))
        // Indexes built at random access and from the stream agree byte for byte.
        const a = (await generateIndex(bytesSource(car))).index
        const b = await generateIndexFromStream(chunked(car, chunk))
        expect(Buffer.from(encodeIndex(a)).equals(Buffer.from(encodeIndex(b)))).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it('a CARv2 written by petal reads back through @ipld/car and through the ReadOnly store', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(blockSpec, { minLength: 1, maxLength: 10 }), async (specs) => {
        const blocks = await blocksOf(specs)
        const path = join(tmp.dir, 'prop.car')
        await writeCarFile(path, [blocks[0].cid], blocks)
        const reader = await CarReader.fromBytes(new Uint8Array(await Bun.file(path).arrayBuffer()))
        expect(reader.version).toBe(2)
        const theirs = await collect(reader.blocks())
        expect(theirs.map((b) => b.cid.toString())).toEqual(blocks.map((b) => b.cid.toString()))
        const store = await openReadOnly(path, { checkIndex: 'full' })
        expect(store.indexOrigin).toBe('embedded')
        for (const b of blocks) expect(Buffer.from(await store.get(b.cid)).equals(Buffer.from(b.bytes))).toBe(true)
        await store.close()
      }),
      { numRuns: 25 },
    )
  })
})

describe('caps', () => {
  it('a header over maxHeaderSize is E_CAR_HEADER_TOO_LARGE', async () => {
    const blocks = await blocksOf([{ bytes: new Uint8Array(10), hash: 'sha2-256', codec: 0x55 }])
    const roots = Array.from({ length: 20 }, () => blocks[0].cid)
    const car = await concat(encodeCar(roots, blocks))
    await expectCode(readCarStream([car], { maxHeaderSize: 100 }), 'E_CAR_HEADER_TOO_LARGE')
    await expectCode(generateIndex(bytesSource(car), { maxHeaderSize: 100 }), 'E_CAR_HEADER_TOO_LARGE')
    expect((await readCarStream([car])).roots).toHaveLength(20)
  })

  it('a section over maxSectionSize is E_CAR_SECTION_TOO_LARGE before anything is buffered', async () => {
    const blocks = await blocksOf([{ bytes: new Uint8Array(5000), hash: 'sha2-256', codec: 0x55 }])
    const car = await concat(encodeCar([], blocks))
    await expectCode(collect((await readCarStream([car], { maxSectionSize: 4096 })).blocks()), 'E_CAR_SECTION_TOO_LARGE')
    await expectCode(generateIndex(bytesSource(car), { maxSectionSize: 4096 }), 'E_CAR_SECTION_TOO_LARGE')
    await expectCode(ReadOnlyBlockstore.create(bytesSource(car), { maxSectionSize: 4096 }), 'E_CAR_SECTION_TOO_LARGE')
    expect(await collect((await readCarStream([car])).blocks())).toHaveLength(1)
  })
})

describe('verification', () => {
  async function tamperedCar(): Promise<{ car: Uint8Array; blocks: Block[] }> {
    const blocks = await blocksOf([
      { bytes: new TextEncoder().encode('first block'), hash: 'sha2-256', codec: 0x55 },
      { bytes: new TextEncoder().encode('second block'), hash: 'blake2b-256', codec: 0x55 },
    ])
    const car = await concat(encodeCar([blocks[0].cid], blocks))
    return { car, blocks }
  }

  for (const [which, hash] of [
    [0, 'sha2-256'],
    [1, 'blake2b-256'],
  ] as const) {
    it(`a flipped byte in a ${hash} block is E_CAR_CID_MISMATCH unless the source is trusted`, async () => {
      const { car, blocks } = await tamperedCar()
      car[Buffer.from(car).indexOf(which === 0 ? 'first block' : 'second block')] ^= 1
      await expectCode(collect((await readCarStream([car])).blocks()), 'E_CAR_CID_MISMATCH')
      expect(await collect((await readCarStream([car], { trusted: true })).blocks())).toHaveLength(2)
      await expectCode(verifyCar(bytesSource(car)), 'E_CAR_CID_MISMATCH')
      const r = await inspectCar(bytesSource(car))
      expect(r.verification).toMatchObject({ ok: false, verified: which, problem: { code: 'E_CAR_CID_MISMATCH' } })
      const store = await ReadOnlyBlockstore.create(bytesSource(car))
      await expectCode(store.get(blocks[which].cid), 'E_CAR_CID_MISMATCH')
      const trusted = await ReadOnlyBlockstore.create(bytesSource(car), { trusted: true })
      expect((await trusted.get(blocks[which].cid)).length).toBe(blocks[which].bytes.length)
      expect((await store.get(blocks[1 - which].cid)).length).toBe(blocks[1 - which].bytes.length)
    })
  }

  it('an unknown hash function is E_CAR_UNSUPPORTED_HASH unless trusted or given a hasher', async () => {
    const bytes = new TextEncoder().encode('murmur me')
    // murmur3-x64-64 (0x22): a real multihash petal does not compute.
    const fake = (b: Uint8Array) => Uint8Array.from(b.subarray(0, 8).map((x) => x ^ 0x5a))
    const cid = CID.createV1(0x55, Digest.create(0x22, fake(bytes)))
    const car = await concat(encodeCar([cid], [{ cid, bytes }]))
    await expectCode(collect((await readCarStream([car])).blocks()), 'E_CAR_UNSUPPORTED_HASH')
    expect(await collect((await readCarStream([car], { trusted: true })).blocks())).toHaveLength(1)
    expect(await collect((await readCarStream([car], { hashers: { 0x22: fake } })).blocks())).toHaveLength(1)
    const r = await inspectCar(bytesSource(car))
    expect(r.verification?.problem?.code).toBe('E_CAR_UNSUPPORTED_HASH')
  })

  it('an identity block whose bytes differ from its digest is a mismatch', async () => {
    const good = await makeBlock(new TextEncoder().encode('inline'), 'identity')
    const car = await concat(encodeCar([], [{ cid: good.cid, bytes: new TextEncoder().encode('inlinf') }]))
    await expectCode(collect((await readCarStream([car])).blocks()), 'E_CAR_CID_MISMATCH')
  })
})

describe('the resolve hook', () => {
  // A toy ref-CAR: each section stores "offset,length" into `original`; the CID names the real bytes.
  const original = new TextEncoder().encode('The quick brown fox jumps over the lazy dog')
  async function refCar(): Promise<{ car: Uint8Array; real: Block[] }> {
    const real = [await makeBlock(original.subarray(4, 9)), await makeBlock(original.subarray(16, 19))]
    const refs = [
      { cid: real[0].cid, bytes: new TextEncoder().encode('4,5') },
      { cid: real[1].cid, bytes: new TextEncoder().encode('16,3') },
    ]
    return { car: await concat(encodeCar([real[0].cid], refs)), real }
  }
  const resolve = (s: RawSection) => {
    const [at, len] = new TextDecoder().decode(s.bytes).split(',').map(Number)
    return original.subarray(at, at + len)
  }

  it('turns stored references into real block bytes before verification, in the stream and the store', async () => {
    const { car, real } = await refCar()
    await expectCode(collect((await readCarStream([car])).blocks()), 'E_CAR_CID_MISMATCH')
    const blocks = await collect((await readCarStream([car], { resolve })).blocks())
    expect(blocks.map((b) => new TextDecoder().decode(b.bytes))).toEqual(['quick', 'fox'])
    const store = await ReadOnlyBlockstore.create(bytesSource(car), { resolve })
    expect(new TextDecoder().decode(await store.get(real[1].cid))).toBe('fox')
    expect(await store.getSize(real[0].cid)).toBe(5)
  })

  it('a hook that resolves to the wrong bytes is still caught by verification', async () => {
    const { car } = await refCar()
    const wrong = () => new TextEncoder().encode('nope')
    await expectCode(collect((await readCarStream([car], { resolve: wrong })).blocks()), 'E_CAR_CID_MISMATCH')
  })
})

describe('streams', () => {
  it('a CARv2 whose payload stops short of dataSize is E_CAR_TRUNCATED', async () => {
    const blocks = await blocksOf([{ bytes: new Uint8Array(100), hash: 'sha2-256', codec: 0x55 }])
    const path = join(tmp.dir, 'short.car')
    await writeCarFile(path, [], blocks)
    const bytes = new Uint8Array(await Bun.file(path).arrayBuffer())
    const cut = bytes.subarray(0, 51 + 30)
    await expectCode(collect((await readCarStream([cut])).blocks()), 'E_CAR_TRUNCATED')
    writeFileSync(join(tmp.dir, 'cut.car'), cut)
    await expectCode(openReadOnly(join(tmp.dir, 'cut.car')), 'E_CAR_BAD_HEADER')
  })

  it('a pre-aborted signal stops the stream with E_ABORTED', async () => {
    const blocks = await blocksOf([{ bytes: new Uint8Array(10), hash: 'sha2-256', codec: 0x55 }])
    const car = await concat(encodeCar([], blocks))
    const ac = new AbortController()
    ac.abort()
    await expectCode(collect((await readCarStream([car], { signal: ac.signal })).blocks()), 'E_ABORTED')
  })
})
