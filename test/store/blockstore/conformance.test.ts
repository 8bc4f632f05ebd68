/**
 * Runs the conformance suite against every blockstore petal has: ReadOnly over a CARv2, over a CARv1 with
 * a detached index, over injected parts (a CAR inside a larger file, an index answered from elsewhere),
 * ReadWrite while writing, after a resumption, and ReadOnly over what ReadWrite finalized.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CID } from 'multiformats/cid'
import { afterAll } from 'vitest'
import { openReadOnly, openReadWrite, ReadOnlyBlockstore } from '../../../src/store/blockstore/index.ts'
import type { Block } from '../../../src/store/blockstore/types.ts'
import { bytesSource, encodeIndex, generateIndex, sliceSource, writeCarFile, type BlockLocation, type IndexLookup } from '../../../src/store/car/index.ts'
import { tempDir } from '../car/helpers.ts'
import { describeBlockstoreConformance } from './conformance.ts'

const tmp = tempDir('petal-bs-')
afterAll(tmp.cleanup)
let n = 0
const next = (ext = 'car') => join(tmp.dir, `${n++}.${ext}`)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describeBlockstoreConformance({
  name: 'ReadOnly over a CARv2 with its index',
  writable: false,
  async open(roots: CID[], blocks: Block[]) {
    const path = next()
    await writeCarFile(path, roots, blocks)
    return openReadOnly(path)
  },
})

describeBlockstoreConformance({
  name: 'ReadOnly over a CARv1 with a detached 0x0400 index',
  writable: false,
  async open(roots: CID[], blocks: Block[]) {
    const path = next()
    await writeCarFile(path, roots, blocks, { version: 1 })
    const { index } = await generateIndex(bytesSource(readFileSync(path)))
    const idx = next('idx')
    writeFileSync(idx, encodeIndex(index, 0x0400))
    return openReadOnly(path, { indexPath: idx, checkIndex: 'full' })
  },
})

describeBlockstoreConformance({
  name: 'ReadOnly from injected parts: a padded piece inside a larger file, an index kept elsewhere',
  writable: false,
  async open(roots: CID[], blocks: Block[]) {
    const path = next()
    await writeCarFile(path, roots, blocks, { version: 1 })
    const car = readFileSync(path)
    // A "sector": junk, then the piece (CARv1 + zero padding), then more junk.
    const sector = new Uint8Array(1000 + car.length + 4096 + 500).fill(0xee)
    sector.set(car, 1000)
    sector.fill(0, 1000 + car.length, 1000 + car.length + 4096)
    const piece = sliceSource(bytesSource(sector), 1000, car.length + 4096)
    // The dagstore's table, modelled as rows (multihash hex → offset, size) bulk-inserted from the index.
    const { index } = await generateIndex(piece)
    const rows = new Map<string, BlockLocation[]>()
    for (const e of index.entries()) rows.set(hex(e.multihash), [...(rows.get(hex(e.multihash)) ?? []), { offset: e.offset, size: e.size }])
    const lookup: IndexLookup = { locate: (mh, nth = 0) => rows.get(hex(mh))?.[nth] }
    return ReadOnlyBlockstore.create(piece, { index: lookup })
  },
})

describeBlockstoreConformance({
  name: 'ReadWrite while writing',
  writable: true,
  async open(roots: CID[], blocks: Block[]) {
    const store = await openReadWrite(next(), roots)
    await store.putMany(blocks)
    return store
  },
})

describeBlockstoreConformance({
  name: 'ReadWrite after a resumption',
  writable: true,
  async open(roots: CID[], blocks: Block[]) {
    const path = next()
    const half = Math.floor(blocks.length / 2)
    const first = await openReadWrite(path, roots)
    for (const b of blocks.slice(0, half)) await first.put(b.cid, b.bytes)
    await first.close()
    const store = await openReadWrite(path, roots)
    await store.putMany(blocks.slice(half))
    return store
  },
})

describeBlockstoreConformance({
  name: 'ReadOnly over a finalized ReadWrite CARv2',
  writable: false,
  async open(roots: CID[], blocks: Block[]) {
    const path = next()
    const rw = await openReadWrite(path, roots, { indexCodec: 0x0400 })
    await rw.putMany(blocks)
    await rw.finalize()
    await rw.close()
    return openReadOnly(path, { checkIndex: 'full' })
  },
})
