/**
 * ReadWrite beyond the conformance suite: resumption after torn tails at every kind of cut, refusals that
 * leave files untouched, dedupe options, caps, finalize semantics, and exporting the index.
 */
import { appendFileSync, copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { afterAll, describe, expect, it } from 'vitest'
import { openReadOnly, openReadWrite, ReadOnlyBlockstore } from '../../../src/store/blockstore/index.ts'
import { CarIndex, encodeV1Header, openFileSource, PRAGMA, verifyCar, type Block } from '../../../src/store/car/index.ts'
import { collect, expectCode, fixture, makeBlock, pseudoRandomBytes, tempDir } from '../car/helpers.ts'

const tmp = tempDir('petal-rw-')
afterAll(tmp.cleanup)
let n = 0
const next = () => join(tmp.dir, `${n++}.car`)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

async function blocksOf(count: number, seed: number, maxSize = 3000): Promise<Block[]> {
  const out: Block[] = []
  for (let i = 0; i < count; i++) out.push(await makeBlock(pseudoRandomBytes(1 + ((seed * 7919 + i * 104729) % maxSize), seed * 1000 + i)))
  return out
}

/** Payload offsets where each section ends, read back through a scan of the finished file. */
async function sectionEnds(path: string, roots: CID[], blocks: Block[]): Promise<number[]> {
  const header = encodeV1Header(roots).length
  let at = 51 + header
  const ends: number[] = []
  for (const b of blocks) {
    const len = b.cid.bytes.length + b.bytes.length
    at += (len < 128 ? 1 : len < 16384 ? 2 : 3) + len
    ends.push(at)
  }
  expect(statSync(path).size).toBe(at)
  return ends
}

describe('ReadWrite resumption', () => {
  it('keeps exactly the complete sections before any cut, drops the torn tail and continues appending', async () => {
    const blocks = await blocksOf(12, 1)
    const roots = [blocks[0].cid]
    const base = next()
    const rw = await openReadWrite(base, roots)
    await rw.putMany(blocks)
    await rw.close()
    const ends = await sectionEnds(base, roots, blocks)
    const size = statSync(base).size
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 51 + encodeV1Header(roots).length, max: size }), async (cut) => {
        const path = next()
        copyFileSync(base, path)
        truncateSync(path, cut)
        const kept = ends.filter((e) => e <= cut).length
        const store = await openReadWrite(path, roots)
        const headerEnd = 51 + encodeV1Header(roots).length
        // A file cut at the end of its header is what creation writes: it starts over instead of resuming.
        if (cut === headerEnd) expect(store.resumed).toBeUndefined()
        else {
          expect(store.resumed).toMatchObject({ blocks: kept, wasFinalized: false })
          expect(store.resumed!.truncatedBytes).toBe(cut - (kept === 0 ? headerEnd : ends[kept - 1]))
        }
        for (let i = 0; i < blocks.length; i++) expect(await store.has(blocks[i].cid)).toBe(i < kept)
        await store.putMany(blocks)
        await store.finalize()
        await store.close()
        // Same payload as the uncut file (the header differs: this copy is finalized).
        expect(hex(readFileSync(path).subarray(51, ends[ends.length - 1]))).toBe(hex(readFileSync(base).subarray(51)))
        const ro = await openReadOnly(path, { checkIndex: 'full' })
        for (const b of blocks) expect(hex(await ro.get(b.cid))).toBe(hex(b.bytes))
        await ro.close()
      }),
      { numRuns: 30 },
    )
  })

  it('treats zeros after the last section (a power loss) as a torn tail', async () => {
    const blocks = await blocksOf(3, 2)
    const path = next()
    const rw = await openReadWrite(path, [])
    await rw.putMany(blocks)
    await rw.close()
    const size = statSync(path).size
    appendFileSync(path, new Uint8Array(8192))
    const again = await openReadWrite(path, [])
    expect(again.resumed).toMatchObject({ blocks: 3, truncatedBytes: 8192 })
    expect(statSync(path).size).toBe(size)
    await again.close()
  })

  it('with verifyOnResume a block that fails its hash starts the torn tail', async () => {
    const blocks = await blocksOf(5, 3)
    const path = next()
    const rw = await openReadWrite(path, [])
    await rw.putMany(blocks)
    await rw.close()
    const bytes = readFileSync(path)
    bytes[bytes.indexOf(Buffer.from(blocks[3].bytes.subarray(0, 16))) + 5] ^= 0xff
    writeFileSync(path, bytes)
    const lenient = await openReadWrite(path, [], { verifyOnResume: false, overwrite: false })
    expect(lenient.resumed?.blocks).toBe(5)
    await expectCode(lenient.get(blocks[3].cid), 'E_CAR_CID_MISMATCH')
    await lenient.close()
    const strict = await openReadWrite(path, [], { verifyOnResume: true })
    expect(strict.resumed?.blocks).toBe(3)
    expect(await strict.has(blocks[4].cid)).toBe(false)
    await strict.putMany(blocks)
    expect(hex(await strict.get(blocks[3].cid))).toBe(hex(blocks[3].bytes))
    await strict.close()
  })

  it('starts over when a crash cut the file while it was being created', async () => {
    const blocks = await blocksOf(1, 4)
    const path = next()
    writeFileSync(path, PRAGMA.subarray(0, 7))
    const rw = await openReadWrite(path, [blocks[0].cid])
    expect(rw.resumed).toBeUndefined()
    await rw.put(blocks[0].cid, blocks[0].bytes)
    await rw.finalize()
    await rw.close()
    expect(await verifyCar(openFileSource(path))).toBe(1)
  })

  it('refuses a CARv1, a non-CAR and a CARv2 with other roots, leaving each file as it was', async () => {
    const v1 = next()
    copyFileSync(fixture('v2/sample-v1.car'), v1)
    await expectCode(openReadWrite(v1, []), 'E_CAR_WRONG_VERSION')
    expect(hex(readFileSync(v1))).toBe(hex(readFileSync(fixture('v2/sample-v1.car'))))
    const junk = next()
    copyFileSync(fixture('dagstore/junk.dat'), junk)
    await expect(openReadWrite(junk, [])).rejects.toMatchObject({ code: expect.stringMatching(/^E_(BLOCKSTORE_RESUME_CORRUPT|CAR_BAD_HEADER)$/) })
    expect(hex(readFileSync(junk))).toBe(hex(readFileSync(fixture('dagstore/junk.dat'))))
    const blocks = await blocksOf(2, 5)
    const path = next()
    const rw = await openReadWrite(path, [blocks[0].cid])
    await rw.putMany(blocks)
    await rw.close()
    const before = readFileSync(path)
    await expectCode(openReadWrite(path, [blocks[1].cid]), 'E_BLOCKSTORE_RESUME_MISMATCH')
    await expectCode(openReadWrite(path, [blocks[0].cid], { dataPadding: 8 }), 'E_BLOCKSTORE_RESUME_MISMATCH')
    expect(hex(readFileSync(path))).toBe(hex(before))
  })

  it('an unfinalized file is not a readable CARv2 until finalized (its header is still zero)', async () => {
    const blocks = await blocksOf(2, 6)
    const path = next()
    const rw = await openReadWrite(path, [])
    await rw.putMany(blocks)
    await expectCode(openReadOnly(path), 'E_CAR_BAD_HEADER')
    await rw.finalize()
    const ro = await openReadOnly(path)
    expect(await collect(ro.cids())).toHaveLength(2)
    await ro.close()
    await rw.close()
  })
})

describe('ReadWrite writing', () => {
  it('reads blocks back while writing, refuses writes after finalize but keeps serving reads', async () => {
    const blocks = await blocksOf(4, 7)
    const rw = await openReadWrite(next(), [blocks[0].cid])
    for (const b of blocks) {
      await rw.put(b.cid, b.bytes)
      expect(hex(await rw.get(b.cid))).toBe(hex(b.bytes))
    }
    await rw.finalize()
    await expectCode(rw.put(blocks[0].cid, blocks[0].bytes), 'E_BLOCKSTORE_FINALIZED')
    await expectCode(rw.finalize(), 'E_BLOCKSTORE_FINALIZED')
    expect(hex(await rw.get(blocks[2].cid))).toBe(hex(blocks[2].bytes))
    await rw.close()
  })

  it('keeps duplicates when asked, and with whole CIDs tells codecs apart', async () => {
    const [b] = await blocksOf(1, 8)
    const dup = await openReadWrite(next(), [], { allowDuplicatePuts: true })
    await dup.put(b.cid, b.bytes)
    await dup.put(b.cid, b.bytes)
    expect(await collect(dup.cids())).toHaveLength(2)
    expect(dup.blockCount).toBe(2)
    await dup.close()
    const asCbor = CID.createV1(0x71, b.cid.multihash)
    const whole = await openReadWrite(next(), [], { wholeCids: true })
    await whole.put(b.cid, b.bytes)
    expect(await whole.has(asCbor)).toBe(false)
    await expectCode(whole.get(asCbor), 'E_BLOCKSTORE_NOT_FOUND')
    await whole.put(asCbor, b.bytes)
    await whole.put(asCbor, b.bytes)
    expect((await collect(whole.cids())).map(String)).toEqual([b.cid.toString(), asCbor.toString()])
    expect(hex(await whole.get(asCbor))).toBe(hex(b.bytes))
    await whole.close()
    const byMultihash = await openReadWrite(next(), [])
    await byMultihash.put(b.cid, b.bytes)
    await byMultihash.put(asCbor, b.bytes)
    expect(await collect(byMultihash.cids())).toHaveLength(1)
    await byMultihash.close()
  })

  it('refuses a CID over 2 KiB and a block over the section cap without writing anything', async () => {
    const path = next()
    const rw = await openReadWrite(path, [], { maxSectionSize: 1 << 16 })
    const size = statSync(path).size
    const big = await makeBlock(new Uint8Array(3000), 'identity')
    const hugeCid = CID.createV1(0x55, { ...big.cid.multihash, code: 0x12 } as never)
    await expectCode(rw.put(hugeCid, new Uint8Array(1)), 'E_CAR_CID_TOO_LARGE')
    const large = await makeBlock(new Uint8Array(1 << 16))
    await expectCode(rw.put(large.cid, large.bytes), 'E_CAR_SECTION_TOO_LARGE')
    await expectCode(rw.putMany([large]), 'E_CAR_SECTION_TOO_LARGE')
    expect(statSync(path).size).toBe(size)
    await rw.close()
  })

  it('stores identity blocks only with storeIdentityCids, and then marks the CAR fully indexed', async () => {
    const inline = await makeBlock(new TextEncoder().encode('tiny'), 'identity')
    const plain = await openReadWrite(next(), [])
    await plain.put(inline.cid, inline.bytes)
    expect(plain.blockCount).toBe(0)
    expect(await plain.has(inline.cid)).toBe(true)
    await plain.close()
    const path = next()
    const full = await openReadWrite(path, [], { storeIdentityCids: true })
    await full.put(inline.cid, inline.bytes)
    expect(full.blockCount).toBe(1)
    await full.finalize()
    await full.close()
    const ro = await openReadOnly(path, { storeIdentityCids: true, checkIndex: 'full' })
    expect(ro.layout.v2?.fullyIndexed).toBe(true)
    expect(hex(await ro.get(inline.cid))).toBe(hex(inline.bytes))
    await ro.close()
  })

  it('batches putMany across blocks larger and smaller than the batch, with padding on both sides', async () => {
    const blocks = [...(await blocksOf(30, 9, 200_000)), await makeBlock(pseudoRandomBytes(5 << 20, 99))]
    const path = next()
    const rw = await openReadWrite(path, [blocks[0].cid], { dataPadding: 100, indexPadding: 7, sync: true })
    await rw.putMany(blocks)
    await rw.finalize()
    await rw.close()
    const ro = await openReadOnly(path, { checkIndex: 'full' })
    expect(ro.layout.v2).toMatchObject({ dataOffset: 151, indexOffset: 151 + ro.layout.dataSize + 7 })
    for (const b of blocks) expect(hex(await ro.get(b.cid))).toBe(hex(b.bytes))
    await ro.close()
  })

  it('exports its index for another store to bulk-load, and the rebuilt index serves the file', async () => {
    const blocks = await blocksOf(20, 10)
    const path = next()
    const rw = await openReadWrite(path, [])
    await rw.putMany(blocks)
    const rows = [...rw.index.entries()]
    expect(rows.map((r) => r.size)).toEqual(blocks.map((b) => b.bytes.length))
    await rw.finalize()
    await rw.close()
    const rebuilt = CarIndex.fromEntries(rows)
    const ro = await ReadOnlyBlockstore.create(openFileSource(path), { index: rebuilt, checkIndex: 'full' })
    expect(ro.indexOrigin).toBe('detached')
    for (const b of blocks) expect(await ro.getSize(b.cid)).toBe(b.bytes.length)
    await ro.close()
  })
})
