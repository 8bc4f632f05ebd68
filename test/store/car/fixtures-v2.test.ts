/**
 * go-car's v2 testdata: every assertion test/fixtures/car/README.md records about sample-v1, the wrapped
 * and indexless CARv2s, the detached indexes and the ReadWrite sample.
 */
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterAll, describe, expect, it } from 'vitest'
import {
  bytesSource,
  decodeIndex,
  detachIndexFile,
  encodeIndex,
  extractV1File,
  generateIndex,
  inspectCar,
  openFileSource,
  readCarLayout,
  readCarStream,
  walkIndex,
  wrapV1File,
} from '../../../src/store/car/index.ts'
import { openReadOnly, openReadWrite } from '../../../src/store/blockstore/index.ts'
import { collect, expectCode, fixture, fixtureBytes, tempDir } from './helpers.ts'

const ROOT = 'bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy'
const IDENTITY_BLOCKS: Array<[string, string, number]> = [
  ['bafkqactgnfwc6mjpmnzg63q', 'fil/1/cron', 125263],
  ['bafkqac3gnfwc6mjpnvuw4zls', 'fil/1/miner', 125328],
  ['bafkqadlgnfwc6mjpmfrwg33vnz2a', 'fil/1/account', 131395],
  ['bafkqactgnfwc6mjpnfxgs5a', 'fil/1/init', 131466],
  ['bafkqaddgnfwc6mjpnvqxe23foq', 'fil/1/market', 138291],
  ['bafkqac3gnfwc6mjpobxxozls', 'fil/1/power', 152995],
]
const tmp = tempDir()
afterAll(tmp.cleanup)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('sample-v1.car', () => {
  it('reads as a CARv1 with one root, 1049 blocks and the stats go-car reports', async () => {
    const r = await inspectCar(openFileSource(fixture('v2/sample-v1.car')))
    expect(r.layout.version).toBe(1)
    expect(r.layout.headerLength).toBe(61)
    expect(r.layout.roots.map(String)).toEqual([ROOT])
    expect(r.blockCount).toBe(1049)
    expect(r.blockLength).toEqual({ min: 1, avg: 417, max: 1342 })
    expect(r.cidLength).toEqual({ min: 14, avg: 37, max: 38 })
    expect(r.codecs).toEqual({ raw: 6, 'dag-cbor': 1043 })
    expect(r.hashes).toEqual({ identity: 6, 'blake2b-256': 1043 })
    expect(r.rootsPresent).toBe(true)
    expect(r.verification).toEqual({ ok: true, verified: 1049, problem: undefined })
  })

  it('streams 1043 bafy CIDs and 6 bafk identity CIDs whose digests are the Filecoin actor names, root first', async () => {
    const stream = await readCarStream([fixtureBytes('v2/sample-v1.car')])
    const blocks = await collect(stream.blocks())
    expect(blocks).toHaveLength(1049)
    expect(blocks[0].cid.toString()).toBe(ROOT)
    expect(blocks[0].offset).toBe(61)
    expect(blocks.filter((b) => b.cid.toString().startsWith('bafy'))).toHaveLength(1043)
    const identity = blocks.filter((b) => b.cid.toString().startsWith('bafk'))
    expect(identity.map((b) => [b.cid.toString(), Buffer.from(b.bytes).toString(), b.offset])).toEqual(IDENTITY_BLOCKS)
  })

  it('get-block returns the 907-byte block at payload offset 7957 and a mangled CID is not found', async () => {
    const store = await openReadOnly(fixture('v2/sample-v1.car'))
    const cid = CID.parse('bafy2bzacebohz654namrgmwjjx4qmtwgxixsd7pn4tlanyrc3g3hwj75hlxrw')
    const bytes = await store.get(cid)
    expect(hex(bytes)).toBe(hex(fixtureBytes('cmd-inputs/bafy2bzacebohz654namrgmwjjx4qmtwgxixsd7pn4tlanyrc3g3hwj75hlxrw.block')))
    expect(store.index.locate(cid.multihash.bytes)).toEqual({ offset: 7957, size: 907 })
    const other = CID.parse('bafy2bzacebohz654namrgmwjjx4qmtwgxixsd7pn4tlanyrc3g3hwj75hlxra')
    await expectCode(store.get(other), 'E_BLOCKSTORE_NOT_FOUND')
    await store.close()
  })

  it('extract-v1 refuses it: it is already a CARv1', async () => {
    await expectCode(extractV1File(fixture('v2/sample-v1.car'), join(tmp.dir, 'x.car')), 'E_CAR_WRONG_VERSION')
  })

  it('generates the 0x0401 index of sample-multihash-index-sorted.carindex, identity CIDs excluded', async () => {
    const { index } = await generateIndex(openFileSource(fixture('v2/sample-v1.car')))
    expect(index.count).toBe(1043)
    expect(hex(encodeIndex(index, 0x0401))).toBe(hex(fixtureBytes('v2/sample-multihash-index-sorted.carindex')))
  })

  it('generates the 0x0400 index of sample-index.carindex when identity CIDs are included', async () => {
    const { index } = await generateIndex(openFileSource(fixture('v2/sample-v1.car')), { includeIdentity: true })
    expect(index.count).toBe(1049)
    expect(hex(encodeIndex(index, 0x0400))).toBe(hex(fixtureBytes('v2/sample-index.carindex')))
  })

  it('wraps into sample-wrapped-v2.car byte for byte', async () => {
    const out = join(tmp.dir, 'wrapped.car')
    await wrapV1File(fixture('v2/sample-v1.car'), out)
    expect(hex(readFileSync(out))).toBe(hex(fixtureBytes('v2/sample-wrapped-v2.car')))
  })
})

describe('sample-wrapped-v2.car', () => {
  it('has the header go-car asserts and sample-v1.car as its payload', async () => {
    const layout = await readCarLayout(openFileSource(fixture('v2/sample-wrapped-v2.car')))
    expect(layout.version).toBe(2)
    expect(hex(layout.v2!.characteristics)).toBe('00'.repeat(16))
    expect(layout.v2).toMatchObject({ fullyIndexed: false, dataOffset: 51, dataSize: 479907, indexOffset: 479958 })
    expect(layout.roots.map(String)).toEqual([ROOT])
    const bytes = fixtureBytes('v2/sample-wrapped-v2.car')
    expect(hex(bytes.subarray(0, 11))).toBe('0aa16776657273696f6e02')
    expect(hex(bytes.subarray(51, 479958))).toBe(hex(fixtureBytes('v2/sample-v1.car')))
  })

  it('embeds the 0x0401 index equal to the detached one and to one generated from its payload', async () => {
    const out = join(tmp.dir, 'detached.idx')
    await detachIndexFile(fixture('v2/sample-wrapped-v2.car'), out)
    const detached = readFileSync(out)
    expect(hex(detached)).toBe(hex(fixtureBytes('v2/sample-multihash-index-sorted.carindex')))
    const { index } = await generateIndex(openFileSource(fixture('v2/sample-wrapped-v2.car')))
    expect(hex(encodeIndex(index))).toBe(hex(detached))
    const r = await inspectCar(openFileSource(fixture('v2/sample-wrapped-v2.car')))
    expect(r.index).toEqual({ present: true, codec: 'car-multihash-index-sorted', entries: 1043, matchesData: true })
    expect(r.blockCount).toBe(1049)
  })

  it('answers identity CIDs from their digest by default, and not at all with storeIdentityCids', async () => {
    const plain = await openReadOnly(fixture('v2/sample-wrapped-v2.car'))
    expect(plain.indexOrigin).toBe('embedded')
    for (const [cid, text] of IDENTITY_BLOCKS) {
      expect(await plain.has(CID.parse(cid))).toBe(true)
      expect(Buffer.from(await plain.get(CID.parse(cid))).toString()).toBe(text)
      expect(await plain.getSize(CID.parse(cid))).toBe(text.length)
    }
    const strict = await openReadOnly(fixture('v2/sample-wrapped-v2.car'), { storeIdentityCids: true })
    expect(await strict.has(CID.parse(IDENTITY_BLOCKS[0][0]))).toBe(false)
    await expectCode(strict.get(CID.parse(IDENTITY_BLOCKS[0][0])), 'E_BLOCKSTORE_NOT_FOUND')
    await plain.close()
    await strict.close()
  })

  it('refuses to resume with other roots and leaves the file byte-identical; resumes and finalizes with its own', async () => {
    const copy = join(tmp.dir, 'resume.car')
    copyFileSync(fixture('v2/sample-wrapped-v2.car'), copy)
    const bad = CID.parse('bafkreifuosuzujyf4i6psbneqtwg2fhplc2wxptc5euspa2gn3bwhnihfu')
    await expectCode(openReadWrite(copy, [bad]), 'E_BLOCKSTORE_RESUME_MISMATCH')
    expect(hex(readFileSync(copy))).toBe(hex(fixtureBytes('v2/sample-wrapped-v2.car')))
    const rw = await openReadWrite(copy, [CID.parse(ROOT)])
    expect(rw.resumed).toMatchObject({ wasFinalized: true, blocks: 1049, truncatedBytes: 41750 })
    await rw.finalize()
    await rw.close()
    // The index regenerated on resumption is the go-car one again.
    expect(hex(readFileSync(copy))).toBe(hex(fixtureBytes('v2/sample-wrapped-v2.car')))
  })
})

describe('sample-v2-indexless.car', () => {
  it('has index offset 0, no index, and sample-v1 stats as a version 2 CAR', async () => {
    const r = await inspectCar(openFileSource(fixture('v2/sample-v2-indexless.car')))
    expect(r.layout.v2).toMatchObject({ dataOffset: 51, dataSize: 479907, indexOffset: 0 })
    expect(r.index).toEqual({ present: false })
    expect(r.blockCount).toBe(1049)
    expect(r.codecs).toEqual({ raw: 6, 'dag-cbor': 1043 })
    await expectCode(detachIndexFile(fixture('v2/sample-v2-indexless.car'), join(tmp.dir, 'none.idx')), 'E_CAR_NO_INDEX')
    const store = await openReadOnly(fixture('v2/sample-v2-indexless.car'))
    expect(store.indexOrigin).toBe('built')
    expect((await collect(store.cids())).length).toBe(1049)
    await store.close()
  })
})

describe('sample-index.carindex (0x0400)', () => {
  it('decodes to 1049 digest-keyed entries that each point at their section in sample-v1, and re-encodes byte for byte', async () => {
    const bytes = fixtureBytes('v2/sample-index.carindex')
    expect(hex(bytes.subarray(0, 6))).toBe('800805000000')
    const { codec, index } = await decodeIndex(bytes)
    expect(codec).toBe(0x0400)
    expect(index.keyedBy).toBe('digest')
    expect(index.count).toBe(1049)
    expect(hex(encodeIndex(index, 0x0400))).toBe(hex(bytes))
    const stream = await readCarStream([fixtureBytes('v2/sample-v1.car')])
    for await (const b of stream.blocks()) expect(index.locate(b.cid.multihash.bytes)?.offset).toBe(b.offset)
    const store = await openReadOnly(fixture('v2/sample-v1.car'), { indexPath: fixture('v2/sample-index.carindex'), checkIndex: 'full', storeIdentityCids: true })
    expect(store.indexOrigin).toBe('detached')
    expect(Buffer.from(await store.get(CID.parse(IDENTITY_BLOCKS[1][0]))).toString()).toBe('fil/1/miner')
    await store.close()
  })
})

describe('sample-multihash-index-sorted.carindex (0x0401)', () => {
  it('has one blake2b-256 group of 1043 width-40 entries, first 009aee3d…@368261, last ff521df9…@221113', async () => {
    const bytes = fixtureBytes('v2/sample-multihash-index-sorted.carindex')
    expect(hex(bytes.subarray(0, 30))).toBe('8108' + '01000000' + '20b2000000000000' + '01000000' + '28000000' + 'f8a2000000000000')
    const entries: Array<[string, number]> = []
    await walkIndex(bytesSource(bytes), (code, buf, start, len, offset) => {
      expect(code).toBe(0xb220)
      entries.push([hex(buf.subarray(start, start + len)), offset])
    })
    expect(entries).toHaveLength(1043)
    expect(entries[0][0].startsWith('009aee3d')).toBe(true)
    expect(entries[0][0].endsWith('5f')).toBe(true)
    expect(entries[0][1]).toBe(368261)
    expect(entries[1042][0].startsWith('ff521df9')).toBe(true)
    expect(entries[1042][0].endsWith('e1')).toBe(true)
    expect(entries[1042][1]).toBe(221113)
    const { index } = await decodeIndex(bytes)
    const again = encodeIndex(index, 0x0401)
    expect(hex(again)).toBe(hex(bytes))
    expect(hex((await decodeIndex(again)).index.keyOf(0))).toBe(hex(index.keyOf(0)))
  })
})

describe('sample-v1-noidentity.car: the ReadWrite golden', () => {
  async function putAll(path: string, options: Parameters<typeof openReadWrite>[2]): Promise<Uint8Array> {
    const stream = await readCarStream([fixtureBytes('v2/sample-v1.car')])
    const rw = await openReadWrite(path, [CID.parse(ROOT)], options)
    for await (const b of stream.blocks()) await rw.put(b.cid, b.bytes)
    await rw.finalize()
    await rw.close()
    return new Uint8Array(readFileSync(path))
  }

  it('putting every block of sample-v1 in order writes sample-v1-noidentity as the payload at offset 51', async () => {
    const out = await putAll(join(tmp.dir, 'rw.car'), {})
    const golden = fixtureBytes('v2/sample-v1-noidentity.car')
    expect(hex(out.subarray(51, 51 + golden.length))).toBe(hex(golden))
    const layout = await readCarLayout(bytesSource(out))
    expect(layout.v2).toMatchObject({ fullyIndexed: false, dataOffset: 51, dataSize: golden.length, indexOffset: 51 + golden.length })
    const { index } = await generateIndex(bytesSource(golden))
    expect(hex(out.subarray(51 + golden.length))).toBe(hex(encodeIndex(index)))
  })

  it('with storeIdentityCids the payload is sample-v1 exactly and the CAR is marked fully indexed', async () => {
    const out = await putAll(join(tmp.dir, 'rw-id.car'), { storeIdentityCids: true })
    const golden = fixtureBytes('v2/sample-v1.car')
    expect(hex(out.subarray(51, 51 + golden.length))).toBe(hex(golden))
    const layout = await readCarLayout(bytesSource(out))
    expect(layout.v2!.fullyIndexed).toBe(true)
    expect(out[11]).toBe(0x80)
    const store = await openReadOnly(join(tmp.dir, 'rw-id.car'), { storeIdentityCids: true, checkIndex: 'full' })
    expect(await store.has(CID.parse(IDENTITY_BLOCKS[0][0]))).toBe(true)
    await store.close()
  })
})

describe('sample-rw-bs-v2.car', () => {
  const fish = CID.parse('bafkreifuosuzujyf4i6psbneqtwg2fhplc2wxptc5euspa2gn3bwhnihfu')
  const lobster = CID.parse('bafkreifc4hca3inognou377hfhvu2xfchn2ltzi7yu27jkaeujqqqdbjju')
  const barreleye = CID.parse('bafkreig5lvr4l6b4fr3un4xvzeyt3scevgsqjgrhlnwxw2unwbn5ro276u')
  const text = (s: string) => new TextEncoder().encode(s)

  it('has the header, sections and exact index bytes go-car wrote', async () => {
    const r = await inspectCar(openFileSource(fixture('v2/sample-rw-bs-v2.car')))
    expect(r.layout.v2).toMatchObject({ dataOffset: 1464, dataSize: 273, indexOffset: 1737, fullyIndexed: false })
    expect(r.layout.headerLength).toBe(142)
    expect(r.blockCount).toBe(3)
    expect(r.codecs).toEqual({ raw: 3 })
    expect(r.hashes).toEqual({ 'sha2-256': 3 })
    expect(r.cidLength).toEqual({ min: 36, avg: 36, max: 36 })
    expect(r.blockLength).toEqual({ min: 4, avg: 6, max: 9 })
    expect(r.index).toMatchObject({ codec: 'car-multihash-index-sorted', matchesData: true })
    const stream = await readCarStream([fixtureBytes('v2/sample-rw-bs-v2.car')])
    const blocks = await collect(stream.blocks())
    expect(blocks.map((b) => [b.cid.toString(), b.offset, Buffer.from(b.bytes).toString()])).toEqual([
      [fish.toString(), 142, 'fish'],
      [lobster.toString(), 183, 'lobster'],
      [barreleye.toString(), 227, 'barreleye'],
    ])
    const index = fixtureBytes('v2/sample-rw-bs-v2.car').subarray(1737)
    expect(hex(index)).toBe(
      '8108' + '01000000' + '1200000000000000' + '01000000' + '28000000' + '7800000000000000' +
        'a2e1c40da1ae335d4dffe729eb4d5ca23b74b9e51fc535f4a804a261080c294d' + 'b700000000000000' +
        'b474a99a2705e23cf905a484ec6d14ef58b56bbe62e9292783466ec363b5072d' + '8e00000000000000' +
        'dd5d63c5f83c2c7746f2f5c9313dc844a9a5049a275b6d7b6a8db05bd8bb5ff5' + 'e300000000000000',
    )
    const { index: generated } = await generateIndex(openFileSource(fixture('v2/sample-rw-bs-v2.car')))
    expect(hex(encodeIndex(generated))).toBe(hex(index))
  })

  it('is reproduced byte for byte by ReadWrite: padding 1413, put, finalize, resume, put, finalize', async () => {
    const path = join(tmp.dir, 'example.car')
    const first = await openReadWrite(path, [fish, lobster, barreleye], { dataPadding: 1413, indexPadding: 42 })
    await first.put(fish, text('fish'))
    await first.put(lobster, text('lobster'))
    expect(Buffer.from(await first.get(lobster)).toString()).toBe('lobster')
    await first.finalize()
    await first.close()
    const again = await openReadWrite(path, [fish, lobster, barreleye], { dataPadding: 1413 })
    expect(again.resumed).toMatchObject({ wasFinalized: true, blocks: 2 })
    expect(await again.has(fish)).toBe(true)
    await again.put(barreleye, text('barreleye'))
    await again.finalize()
    await again.close()
    expect(hex(readFileSync(path))).toBe(hex(fixtureBytes('v2/sample-rw-bs-v2.car')))
  })

  it('refuses to resume with another data padding', async () => {
    const path = join(tmp.dir, 'padding.car')
    copyFileSync(fixture('v2/sample-rw-bs-v2.car'), path)
    await expectCode(openReadWrite(path, [fish, lobster, barreleye]), 'E_BLOCKSTORE_RESUME_MISMATCH')
    expect(hex(readFileSync(path))).toBe(hex(fixtureBytes('v2/sample-rw-bs-v2.car')))
  })
})
