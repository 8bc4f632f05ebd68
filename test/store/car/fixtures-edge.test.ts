/**
 * The rest of test/fixtures/car/README.md: padded and corrupt go-car samples, the CLI inputs, the fuzz
 * corpus, the dagstore/Lotus/Boost files and the IPLD spec fixtures — each reads, or fails, as recorded.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterAll, describe, expect, it } from 'vitest'
import { openReadOnly, openReadWrite } from '../../../src/store/blockstore/index.ts'
import {
  buildIndex,
  bytesSource,
  decodeIndex,
  encodeIndex,
  extractV1File,
  generateIndex,
  generateIndexFromStream,
  inspectCar,
  openFileSource,
  readCarLayout,
  readCarStream,
  readIndex,
  walkDag,
  writeCarFile,
} from '../../../src/store/car/index.ts'
import { collect, decodeGoFuzz, expectCode, fixture, fixtureBytes, StoreError, tempDir } from './helpers.ts'

const tmp = tempDir()
afterAll(tmp.cleanup)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('sample-unixfs-v2.car', () => {
  const root = CID.parse('bafybeiakgrehdxxgy5kca72znt6jllrj2sqkehtqeojfuxlbeuqg3vfkwq')

  it('holds the three-block UnixFS DAG in leaf, a, root order', async () => {
    const layout = await readCarLayout(openFileSource(fixture('v2/sample-unixfs-v2.car')))
    expect(layout.v2).toMatchObject({ dataOffset: 51, dataSize: 284, indexOffset: 335 })
    expect(layout.roots).toEqual([root])
    const blocks = await collect((await readCarStream([fixtureBytes('v2/sample-unixfs-v2.car')])).blocks())
    expect(blocks.map((b) => [b.cid.toString(), b.offset])).toEqual([
      ['bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4', 59],
      ['bafybeiglzyjdq2pykwxqhtcjouwbwbmdeaqlpofmdtvxzdskzntr35tzqe', 108],
      [root.toString(), 198],
    ])
    expect(Buffer.from(blocks[0].bytes).toString()).toBe('hello world\n')
    const { index } = await readIndex(openFileSource(fixture('v2/sample-unixfs-v2.car')), { start: 335 })
    expect(index.count).toBe(3)
  })

  it('a depth-first walk from the root written as CARv2 matches its length and its pragma and headers', async () => {
    const store = await openReadOnly(fixture('v2/sample-unixfs-v2.car'))
    const walked = await collect(walkDag(store, root))
    expect(walked.map((b) => b.cid.toString())).toEqual([
      root.toString(),
      'bafybeiglzyjdq2pykwxqhtcjouwbwbmdeaqlpofmdtvxzdskzntr35tzqe',
      'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4',
    ])
    const out = join(tmp.dir, 'dag.car')
    await writeCarFile(out, [root], walked)
    const ours = readFileSync(out)
    const theirs = fixtureBytes('v2/sample-unixfs-v2.car')
    expect(ours.length).toBe(theirs.length)
    expect(hex(ours.subarray(0, 51 + 57))).toBe(hex(theirs.subarray(0, 51 + 57)))
    await store.close()
  })
})

describe('CARv1 followed by zero padding (unsealed piece shape)', () => {
  for (const [name, blocks, root] of [
    ['v2/sample-v1-with-zero-len-section.car', 1049, 'bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy'],
    ['v2/sample-v1-with-zero-len-section2.car', 20, 'bafykbzaceapvx4wxbe3bfc5neit43wl22pruy2ysk7wv763iuyyxcffj3te56'],
  ] as const) {
    it(`${name}: the zero-length section ends the payload by default`, async () => {
      const r = await inspectCar(openFileSource(fixture(name)))
      expect(r.blockCount).toBe(blocks)
      expect(r.end).toBe('zero-length')
      expect(r.layout.roots.map(String)).toEqual([root])
      expect(r.verification?.ok).toBe(true)
      expect(await collect((await readCarStream([fixtureBytes(name)])).blocks())).toHaveLength(blocks)
      const store = await openReadOnly(fixture(name))
      expect(await collect(store.cids())).toHaveLength(blocks)
      await store.close()
    })

    it(`${name}: without zeroLengthSectionAsEof every reader fails with E_CAR_BAD_SECTION`, async () => {
      const strict = { zeroLengthSectionAsEof: false }
      await expectCode(collect((await readCarStream([fixtureBytes(name)], strict)).blocks()), 'E_CAR_BAD_SECTION')
      await expectCode(generateIndex(openFileSource(fixture(name)), strict), 'E_CAR_BAD_SECTION')
      await expectCode(generateIndexFromStream([fixtureBytes(name)], strict), 'E_CAR_BAD_SECTION')
      await expectCode(openReadOnly(fixture(name), strict), 'E_CAR_BAD_SECTION')
    })
  }

  it('sample-v1-with-zero-len-section2.car holds 20 blake2b-256 blocks in 20819 bytes then 11693 zeros', async () => {
    const source = openFileSource(fixture('v2/sample-v1-with-zero-len-section2.car'))
    const layout = await readCarLayout(source)
    const { end } = await buildIndex(source, layout)
    expect(end).toEqual({ end: 20819, reason: 'zero-length' })
    expect(fixtureBytes('v2/sample-v1-with-zero-len-section2.car').subarray(20819).every((b) => b === 0)).toBe(true)
  })
})

describe('broken go-car samples', () => {
  it('sample-v1-tailing-corrupt-section.car: roots read, 1048 blocks, then unexpected EOF', async () => {
    const bytes = fixtureBytes('v2/sample-v1-tailing-corrupt-section.car')
    const layout = await readCarLayout(bytesSource(bytes))
    expect(layout.version).toBe(1)
    expect(layout.roots.map(String)).toEqual(['bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy'])
    const seen: number[] = []
    const stream = await readCarStream([bytes])
    await expectCode(async () => {
      for await (const b of stream.blocks()) seen.push(b.offset)
    }, 'E_CAR_TRUNCATED')
    expect(seen).toHaveLength(1048)
    await expectCode(generateIndex(bytesSource(bytes)), 'E_CAR_TRUNCATED')
    await expectCode(openReadOnly(fixture('v2/sample-v1-tailing-corrupt-section.car')), 'E_CAR_TRUNCATED')
  })

  it('sample-v2-corrupt-data-and-index.car: a valid pragma but an impossible data offset', async () => {
    const bytes = fixtureBytes('v2/sample-v2-corrupt-data-and-index.car')
    expect(hex(bytes.subarray(0, 11))).toBe('0aa16776657273696f6e02')
    await expectCode(readCarLayout(bytesSource(bytes)), 'E_CAR_BAD_HEADER')
    await expectCode(readCarStream([bytes]), 'E_CAR_BAD_HEADER')
    await expectCode(openReadOnly(fixture('v2/sample-v2-corrupt-data-and-index.car')), 'E_CAR_BAD_HEADER')
  })

  it('sample-rootless-v42.car: version 42 is refused by every entry point, and resumption leaves it untouched', async () => {
    const name = 'v2/sample-rootless-v42.car'
    await expectCode(readCarLayout(openFileSource(fixture(name))), 'E_CAR_UNSUPPORTED_VERSION')
    await expectCode(readCarStream([fixtureBytes(name)]), 'E_CAR_UNSUPPORTED_VERSION')
    await expectCode(generateIndex(openFileSource(fixture(name))), 'E_CAR_UNSUPPORTED_VERSION')
    await expectCode(openReadOnly(fixture(name)), 'E_CAR_UNSUPPORTED_VERSION')
    await expectCode(extractV1File(fixture(name), join(tmp.dir, 'x.car')), 'E_CAR_UNSUPPORTED_VERSION')
    const copy = join(tmp.dir, 'v42.car')
    copyFileSync(fixture(name), copy)
    await expectCode(openReadWrite(copy, []), 'E_CAR_UNSUPPORTED_VERSION')
    expect(hex(readFileSync(copy))).toBe(hex(fixtureBytes(name)))
  })

  it('sample-corrupt-pragma.car: the header is cut short (unexpected EOF)', async () => {
    const name = 'v2/sample-corrupt-pragma.car'
    await expectCode(readCarLayout(openFileSource(fixture(name))), 'E_CAR_TRUNCATED')
    await expectCode(readCarStream([fixtureBytes(name)]), 'E_CAR_TRUNCATED')
    await expectCode(openReadOnly(fixture(name)), 'E_CAR_TRUNCATED')
  })
})

describe('go-car CLI inputs', () => {
  it('badheaderlength.car: the header length is over the 32 MiB cap', async () => {
    await expectCode(inspectCar(openFileSource(fixture('cmd-inputs/badheaderlength.car'))), 'E_CAR_HEADER_TOO_LARGE')
    await expectCode(readCarStream([fixtureBytes('cmd-inputs/badheaderlength.car')]), 'E_CAR_HEADER_TOO_LARGE')
  })

  it('badsectionlength.car: empty roots are fine, the section length is over the 8 MiB cap', async () => {
    const source = openFileSource(fixture('cmd-inputs/badsectionlength.car'))
    expect((await readCarLayout(source)).roots).toEqual([])
    const err = await expectCode(inspectCar(source), 'E_CAR_SECTION_TOO_LARGE')
    expect((err as unknown as { length: number }).length).toBe(216830324832)
    await expectCode(collect((await readCarStream([fixtureBytes('cmd-inputs/badsectionlength.car')])).blocks()), 'E_CAR_SECTION_TOO_LARGE')
  })

  it('simple-unixfs.car has 22 CIDv0 blocks and simple-unixfs-missing-blocks.car the same root with 17', async () => {
    const full = await inspectCar(openFileSource(fixture('cmd-inputs/simple-unixfs.car')))
    expect(full.layout.roots.map(String)).toEqual(['QmPLPpnptHc1DMhJAWNYMTqBTqqRQNy5WsY7F9pZgsBfMT'])
    expect(full.blockCount).toBe(22)
    expect(full.codecs).toEqual({ 'dag-pb': 22 })
    expect(full.verification?.ok).toBe(true)
    const partial = await inspectCar(openFileSource(fixture('cmd-inputs/simple-unixfs-missing-blocks.car')))
    expect(partial.layout.roots).toEqual(full.layout.roots)
    expect(partial.blockCount).toBe(17)
    // Walking the partial DAG stops at the first missing block with a typed not-found.
    const store = await openReadOnly(fixture('cmd-inputs/simple-unixfs-missing-blocks.car'))
    await expectCode(collect(walkDag(store, full.layout.roots[0])), 'E_BLOCKSTORE_NOT_FOUND')
    await store.close()
    const complete = await openReadOnly(fixture('cmd-inputs/simple-unixfs.car'))
    const leaves = (await collect(walkDag(complete, full.layout.roots[0]))).filter((b) => b.bytes.length < 20)
    expect(leaves.length).toBeGreaterThan(0)
    await complete.close()
  })

  it('wikipedia-cryptographic-hash-function.car: 5 blocks, 4 dag-pb HAMT nodes and one 125785-byte raw block', async () => {
    const r = await inspectCar(openFileSource(fixture('cmd-inputs/wikipedia-cryptographic-hash-function.car')))
    expect(r.layout.roots.map(String)).toEqual(['bafybeiaysi4s6lnjev27ln5icwm6tueaw2vdykrtjkwiphwekaywqhcjze'])
    expect(r.blockCount).toBe(5)
    expect(r.codecs).toEqual({ 'dag-pb': 4, raw: 1 })
    expect(r.blockLength.max).toBe(125785)
    expect(r.verification?.ok).toBe(true)
    const blocks = await collect((await readCarStream([fixtureBytes('cmd-inputs/wikipedia-cryptographic-hash-function.car')])).blocks())
    const raw = blocks.find((b) => b.cid.code === 0x55)!
    expect(Buffer.from(raw.bytes).toString()).toContain('  <title>Cryptographic hash function</title>')
  })
})

describe('go-car fuzz corpus', () => {
  const dirs = ['FuzzCarReader', 'FuzzBlockReader', 'FuzzReader']
  for (const dir of dirs) {
    for (const name of readdirSync(fixture(`fuzz/${dir}`))) {
      it(`${dir}/${name.slice(0, 8)}… only raises petal's typed errors`, async () => {
        const input = decodeGoFuzz(fixtureBytes(`fuzz/${dir}/${name}`))
        expect(input.length).toBeGreaterThan(0)
        const attempts = [
          async () => collect((await readCarStream([input])).blocks()),
          async () => generateIndex(bytesSource(input)),
          async () => inspectCar(bytesSource(input)),
          async () => {
            const { ReadOnlyBlockstore } = await import('../../../src/store/blockstore/index.ts')
            const store = await ReadOnlyBlockstore.create(bytesSource(input))
            await collect(store.cids())
          },
          async () => {
            const layout = await readCarLayout(bytesSource(input))
            if (layout.v2?.indexOffset) await readIndex(bytesSource(input), { start: layout.v2.indexOffset })
          },
        ]
        for (const attempt of attempts) {
          try {
            await attempt()
          } catch (err) {
            expect(err).toBeInstanceOf(StoreError)
          }
        }
      })
    }
  }

  it('FuzzCarReader/21a90a70… is badheaderlength.car', () => {
    const input = decodeGoFuzz(fixtureBytes('fuzz/FuzzCarReader/21a90a70853c333c6b9ddc133bae39a14164874ed8abdee1f6a6795311a0e546'))
    expect(hex(input)).toBe(hex(fixtureBytes('cmd-inputs/badheaderlength.car')))
  })
})

describe('dagstore, Lotus and Boost files', () => {
  it('lotus-markets-sample-rw-bs-v2.car is sample-rw-bs-v2 with the old 0x0400 index, and serves its blocks', async () => {
    const lotus = fixtureBytes('dagstore/lotus-markets-sample-rw-bs-v2.car')
    expect(hex(lotus.subarray(0, 1737))).toBe(hex(fixtureBytes('v2/sample-rw-bs-v2.car').subarray(0, 1737)))
    const entries = hex(fixtureBytes('v2/sample-rw-bs-v2.car').subarray(1737 + 30))
    expect(hex(lotus.subarray(1737))).toBe('8008' + '01000000' + '28000000' + '7800000000000000' + entries)
    const store = await openReadOnly(fixture('dagstore/lotus-markets-sample-rw-bs-v2.car'), { checkIndex: 'full' })
    expect(store.indexOrigin).toBe('embedded')
    const got = []
    for await (const cid of store.cids()) got.push(Buffer.from(await store.get(cid)).toString())
    expect(got).toEqual(['fish', 'lobster', 'barreleye'])
    const { codec, index } = await readIndex(openFileSource(fixture('dagstore/lotus-markets-sample-rw-bs-v2.car')), { start: 1737 })
    expect(codec).toBe(0x0400)
    expect(hex(encodeIndex(index, 0x0400))).toBe(hex(lotus.subarray(1737)))
    expectThrowsIterable(() => index.entries().next())
    await store.close()
  })

  it('the Boost .full.idx is a 0x0401 sha2-256 index of 4268 entries with offsets past 4 GiB', async () => {
    const bytes = fixtureBytes('dagstore/baga6ea4seaqnfhocd544oidrgsss2ahoaomvxuaqxfmlsizljtzsuivjl5hamka.full.idx')
    const { codec, index } = await decodeIndex(bytes)
    expect(codec).toBe(0x0401)
    expect(index.count).toBe(4268)
    const entries = [...index.entries()]
    expect(entries.every((e) => e.multihash[0] === 0x12 && e.multihash[1] === 0x20 && e.size === -1)).toBe(true)
    const offsets = entries.map((e) => e.offset)
    expect(Math.min(...offsets)).toBe(59)
    expect(Math.max(...offsets)).toBe(4468362238)
    const mh = Buffer.from('1220ff63d7689e2d9567d1a90a7a68425f430137142e1fbc28fe4780b9ee8a5ef842', 'hex')
    expect(index.locate(mh)?.offset).toBe(3039040395)
    expect(hex(encodeIndex(index))).toBe(hex(bytes))
  })

  it('junk.dat is not a CAR', async () => {
    // 0x46 = a 70-byte "header" of random bytes.
    await expectCode(readCarLayout(openFileSource(fixture('dagstore/junk.dat'))), 'E_CAR_BAD_HEADER')
    await expectCode(openReadOnly(fixture('dagstore/junk.dat')), 'E_CAR_BAD_HEADER')
    await expectCode(generateIndexFromStream([fixtureBytes('dagstore/junk.dat')]), 'E_CAR_BAD_HEADER')
  })
})

describe('IPLD spec fixtures', () => {
  interface Described {
    header: { roots: Array<{ '/': string }>; dataOffset?: number; dataSize?: number; indexOffset?: number }
    blocks: Array<{ cid: { '/': string }; offset: number; length: number; blockOffset: number; blockLength: number }>
  }
  for (const name of ['carv1-basic', 'carv2-basic']) {
    it(`${name}.car matches every offset and length in ${name}.json`, async () => {
      const doc = JSON.parse(readFileSync(fixture(`ipld-spec/${name}.json`), 'utf8')) as Described
      const bytes = fixtureBytes(`ipld-spec/${name}.car`)
      const stream = await readCarStream([bytes])
      expect(stream.roots.map(String)).toEqual(doc.header.roots.map((r) => r['/']))
      const base = stream.v2?.dataOffset ?? 0
      if (doc.header.dataOffset !== undefined) expect(stream.v2).toMatchObject({ dataOffset: doc.header.dataOffset, dataSize: doc.header.dataSize, indexOffset: doc.header.indexOffset })
      const blocks = await collect(stream.blocks())
      expect(blocks.map((b) => ({ cid: { '/': b.cid.toString() }, offset: base + b.offset, length: b.length, blockOffset: base + b.blockOffset, blockLength: b.blockLength }))).toEqual(
        doc.blocks.map((b) => ({ cid: b.cid, offset: b.offset, length: b.length, blockOffset: b.blockOffset, blockLength: b.blockLength })),
      )
    })
  }

  it('carv2-basic.car has an index without a codec prefix: reported unusable, and the store rebuilds one', async () => {
    const r = await inspectCar(openFileSource(fixture('ipld-spec/carv2-basic.car')))
    expect(r.index).toMatchObject({ present: true, matchesData: false, problem: { code: 'E_CAR_UNKNOWN_INDEX_CODEC' } })
    const store = await openReadOnly(fixture('ipld-spec/carv2-basic.car'))
    expect(store.indexOrigin).toBe('built')
    expect(store.indexProblem?.code).toBe('E_CAR_UNKNOWN_INDEX_CODEC')
    for await (const cid of store.cids()) expect((await store.get(cid)).length).toBeGreaterThan(0)
    await store.close()
  })
})

function expectThrowsIterable(fn: () => unknown): void {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  expect((err as StoreError).code).toBe('E_CAR_INDEX_NOT_ITERABLE')
}
