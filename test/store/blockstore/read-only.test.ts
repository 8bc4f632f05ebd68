/**
 * ReadOnly beyond the conformance suite: how indexes from outside are checked (cheap and full), what
 * happens when an index lies, duplicates in the data, and whole-CID matching.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterAll, describe, expect, it } from 'vitest'
import { openReadOnly, ReadOnlyBlockstore } from '../../../src/store/blockstore/index.ts'
import { openCarNative } from '../../../src/node/runtime/native/index.ts'
import { bytesSource, CarIndex, encodeIndex, generateIndex, setCarNative, writeCarFile, type Block, type CarNative } from '../../../src/store/car/index.ts'
import { collect, expectCode, makeBlock, pseudoRandomBytes, tempDir } from '../car/helpers.ts'

const tmp = tempDir('petal-ro-')
afterAll(tmp.cleanup)
let n = 0
const next = (ext = 'car') => join(tmp.dir, `${n++}.${ext}`)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

async function carOf(count: number, version: 1 | 2 = 1): Promise<{ path: string; blocks: Block[] }> {
  const blocks: Block[] = []
  for (let i = 0; i < count; i++) blocks.push(await makeBlock(pseudoRandomBytes(50 + i * 13, 900 + i)))
  const path = next()
  await writeCarFile(path, [blocks[0].cid], blocks, { version })
  return { path, blocks }
}

/** An index of `path` with entry `victim` sent to the offset of entry `to`. */
async function lyingIndex(path: string, victim: number, to: number): Promise<CarIndex> {
  const { index } = await generateIndex(bytesSource(readFileSync(path)))
  const rows = [...index.entries()]
  rows[victim] = { ...rows[victim], offset: rows[to].offset, size: -1 }
  return CarIndex.fromEntries(rows)
}

describe('indexes from outside', () => {
  it('a cheap check catches an entry pointing at another block; a full check catches a missing one', async () => {
    const { path } = await carOf(10)
    await expectCode(openReadOnly(path, { index: await lyingIndex(path, 0, 1) }), 'E_CAR_INDEX_MISMATCH')
    const { index } = await generateIndex(bytesSource(readFileSync(path)))
    const short = CarIndex.fromEntries([...index.entries()].slice(0, 9))
    const cheap = await openReadOnly(path, { index: short })
    expect(cheap.indexOrigin).toBe('detached')
    await cheap.close()
    await expectCode(openReadOnly(path, { index: short, checkIndex: 'full' }), 'E_CAR_INDEX_MISMATCH')
    const tooMany = CarIndex.fromEntries([...index.entries(), ...index.entries()])
    await expectCode(openReadOnly(path, { index: tooMany, checkIndex: 'full' }), 'E_CAR_INDEX_MISMATCH')
  })

  it('a full check passes a canonical index on its encoding, with or without the native kernels, and still checks known sizes', async () => {
    const { path } = await carOf(30)
    const { index } = await generateIndex(bytesSource(readFileSync(path)))
    let native: CarNative | null = null
    try {
      native = openCarNative()
    } catch {
      native = null // no library here: the TypeScript encoders alone
    }
    try {
      for (const kernels of native === null ? [null] : [null, native]) {
        setCarNative(kernels)
        for (const codec of [0x0400, 0x0401] as const) {
          const ok = await openReadOnly(path, { index: encodeIndex(index, codec), checkIndex: 'full' })
          await ok.close()
        }
        // Same keys and offsets (so the same encoding), one wrong block size: refused entry by entry.
        const rows = [...index.entries()]
        rows[7] = { ...rows[7], size: rows[7].size + 1 }
        await expectCode(openReadOnly(path, { index: CarIndex.fromEntries(rows), checkIndex: 'full' }), 'E_CAR_INDEX_MISMATCH')
        // Two entries' offsets swapped: another encoding, refused.
        const swapped = [...index.entries()].map((e) => ({ ...e, size: -1 }))
        ;[swapped[3].offset, swapped[4].offset] = [swapped[4].offset, swapped[3].offset]
        await expectCode(openReadOnly(path, { index: CarIndex.fromEntries(swapped), checkIndex: 'full' }), 'E_CAR_INDEX_MISMATCH')
      }
    } finally {
      setCarNative(null)
    }
  })

  it('an index that lies past every check still never hands out the wrong block', async () => {
    const { path, blocks } = await carOf(40)
    // Entry 5 lies; the cheap check samples other entries.
    const store = await openReadOnly(path, { index: await lyingIndex(path, 5, 6), checkIndex: 'none' })
    await expectCode(store.get(blocks[5].cid), 'E_CAR_INDEX_MISMATCH')
    expect(hex(await store.get(blocks[6].cid))).toBe(hex(blocks[6].bytes))
    await store.close()
  })

  it('a CARv2 whose embedded index is damaged is served from a rebuilt index, and says why', async () => {
    const { path, blocks } = await carOf(8, 2)
    const bytes = readFileSync(path)
    bytes[bytes.length - 3] ^= 0xff // an offset in the last entry
    writeFileSync(path, bytes)
    const store = await openReadOnly(path)
    expect(store.indexOrigin).toBe('built')
    expect(store.indexProblem?.code).toMatch(/^E_CAR_(INDEX_MISMATCH|BAD_INDEX)$/)
    for (const b of blocks) expect(hex(await store.get(b.cid))).toBe(hex(b.bytes))
    await store.close()
  })

  it('a detached index file that is not an index is a typed error', async () => {
    const { path } = await carOf(3)
    const idx = next('idx')
    writeFileSync(idx, Uint8Array.of(0x81, 0x08, 1, 0))
    await expectCode(openReadOnly(path, { indexPath: idx }), 'E_CAR_TRUNCATED')
    const { index } = await generateIndex(bytesSource(readFileSync(path)))
    writeFileSync(idx, encodeIndex(index))
    expect((await openReadOnly(path, { indexPath: idx })).indexOrigin).toBe('detached')
  })
})

describe('data', () => {
  it('serves a CAR with duplicate blocks and lists each copy', async () => {
    const b = await makeBlock(new TextEncoder().encode('twice'))
    const c = await makeBlock(new TextEncoder().encode('once'))
    const path = next()
    await writeCarFile(path, [b.cid], [b, c, b], { version: 1 })
    const store = await openReadOnly(path)
    expect((await collect(store.cids())).map(String)).toEqual([b.cid, c.cid, b.cid].map(String))
    expect(hex(await store.get(b.cid))).toBe(hex(b.bytes))
    expect(store.index.locate(b.cid.multihash.bytes, 1)).toBeDefined()
    await store.close()
  })

  it('with wholeCids a CID must match in codec as well as digest', async () => {
    const b = await makeBlock(new TextEncoder().encode('codec matters'))
    const asCbor = CID.createV1(0x71, b.cid.multihash)
    const path = next()
    await writeCarFile(path, [], [b], { version: 1 })
    const store = await openReadOnly(path, { wholeCids: true })
    expect(await store.has(b.cid)).toBe(true)
    expect(await store.has(asCbor)).toBe(false)
    await expectCode(store.getSize(asCbor), 'E_BLOCKSTORE_NOT_FOUND')
    expect(await store.getSize(b.cid)).toBe(b.bytes.length)
    await store.close()
  })

  it('reads from a source given as bytes with a known layout, without reading the headers again', async () => {
    const { path, blocks } = await carOf(4, 2)
    const bytes = new Uint8Array(readFileSync(path))
    const first = await ReadOnlyBlockstore.create(bytesSource(bytes))
    const second = await ReadOnlyBlockstore.create(bytesSource(bytes), { layout: first.layout, index: first.index })
    expect(second.indexOrigin).toBe('detached')
    expect(hex(await second.get(blocks[3].cid))).toBe(hex(blocks[3].bytes))
  })
})
