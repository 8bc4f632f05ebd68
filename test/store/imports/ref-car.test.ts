/**
 * The ref-CARv2 writer and reader on their own: what the CAR holds (nodes in full, one Lotus DataObj per
 * leaf pointing at the right range, no leaf bytes, no identity blocks), an inlined root, and reads that
 * re-hash both stored nodes and referenced ranges.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openReadOnly } from '../../../src/store/blockstore/index.ts'
import { openFileSource, readCarLayout } from '../../../src/store/car/index.ts'
import { decodeReference } from '../../../src/store/imports/filestore-ref.ts'
import { RefCarReader, writeRefCar } from '../../../src/store/imports/ref-car.ts'
import { FileDagBuilder, IPFS_CAR_LAYOUT, LOTUS_LAYOUT } from '../../../src/store/unixfs/index.ts'

const CHUNK = 1 << 20

function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1664525 + 1013904223) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** Every block in the CAR, read without verification (reference blocks do not hash to their CIDs). */
async function storedBlocks(carPath: string): Promise<Array<{ cid: string; codec: number; bytes: Uint8Array }>> {
  const store = await openReadOnly(carPath, { trusted: true })
  try {
    const out = []
    for await (const cid of store.cids()) out.push({ cid: cid.toString(), codec: cid.code, bytes: await store.get(cid) })
    return out
  } finally {
    await store.close()
  }
}

describe('ref-CARv2 files', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'petal-ref-car-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('holds the branch in full and one DataObj per leaf naming its range, and none of the leaf bytes', async () => {
    const file = join(dir, 'three-leaves.bin')
    const data = bytes(2 * CHUNK + 4321, 1)
    writeFileSync(file, data)
    const car = join(dir, 'three-leaves.car')
    const result = await writeRefCar(car, { kind: 'file', path: file }, IPFS_CAR_LAYOUT)
    const builder = new FileDagBuilder(IPFS_CAR_LAYOUT)
    for (let o = 0; o < data.length; o += CHUNK) builder.write(data.subarray(o, o + CHUNK))
    expect(result.root.toString()).toBe(builder.close().cid.toString())
    expect({ nodes: result.nodes, references: result.references, bytes: result.bytes }).toEqual({ nodes: 1, references: 3, bytes: data.length })

    const source = openFileSource(car)
    const layout = await readCarLayout(source)
    source.close()
    expect(layout.version).toBe(2)
    expect(layout.v2?.indexOffset).toBeGreaterThan(0)
    expect(layout.roots.map(String)).toEqual([result.root.toString()])

    const blocks = await storedBlocks(car)
    expect(blocks.filter((b) => b.codec === 0x70).map((b) => b.cid)).toEqual([result.root.toString()])
    const refs = blocks.filter((b) => b.codec === 0x55).map((b) => decodeReference(b.bytes))
    expect(refs.sort((x, y) => x.offset - y.offset)).toEqual([
      { path: file, offset: 0, size: CHUNK },
      { path: file, offset: CHUNK, size: CHUNK },
      { path: file, offset: 2 * CHUNK, size: 4321 },
    ])
    const carBytes = Buffer.from(readFileSync(car))
    for (const at of [0, CHUNK + 100, 2 * CHUNK + 1000]) expect(carBytes.indexOf(Buffer.from(data.subarray(at, at + 32)))).toBe(-1)
    expect(carBytes.length).toBeLessThan(2048)
  })

  it('stores nothing for an inlined (identity) root and still names it in the header', async () => {
    const file = join(dir, 'tiny.txt')
    writeFileSync(file, 'small enough to be inlined into its CID')
    const car = join(dir, 'tiny.car')
    const result = await writeRefCar(car, { kind: 'file', path: file }, LOTUS_LAYOUT)
    expect(result.root.multihash.code).toBe(0x00)
    expect(await storedBlocks(car)).toEqual([])
    const reader = await RefCarReader.open(car)
    try {
      expect((await reader.roots()).map(String)).toEqual([result.root.toString()])
      expect(new TextDecoder().decode(await reader.get(result.root))).toBe('small enough to be inlined into its CID')
    } finally {
      await reader.close()
    }
  })

  it('re-hashes on read: a shortened source is E_IMPORT_SOURCE_CHANGED, a changed stored node E_CAR_CID_MISMATCH', async () => {
    const file = join(dir, 'two-leaves.bin')
    writeFileSync(file, bytes(CHUNK + 500, 2))
    const car = join(dir, 'two-leaves.car')
    const { root } = await writeRefCar(car, { kind: 'file', path: file }, IPFS_CAR_LAYOUT)
    const branch = (await storedBlocks(car)).find((b) => b.codec === 0x70)!
    const reader = await RefCarReader.open(car)
    const links = (await import('@ipld/dag-pb')).decode(branch.bytes).Links.map((l) => l.Hash)
    expect(links.length).toBe(2)
    expect((await reader.get(links[1]))?.length).toBe(500)
    truncateSync(file, CHUNK + 499)
    await expect(reader.get(links[1])).rejects.toMatchObject({ code: 'E_IMPORT_SOURCE_CHANGED', path: file, offset: CHUNK })
    expect((await reader.get(links[0]))?.length).toBe(CHUNK)
    await reader.close()

    const carBytes = Buffer.from(readFileSync(car))
    const at = carBytes.indexOf(Buffer.from(branch.bytes))
    carBytes[at + branch.bytes.length - 1] ^= 0x01
    writeFileSync(car, carBytes)
    const tampered = await RefCarReader.open(car)
    try {
      await expect(tampered.get(root)).rejects.toMatchObject({ code: 'E_CAR_CID_MISMATCH' })
    } finally {
      await tampered.close()
    }
  })

  it('an inlined branch root (two leaves, lotus layout) is written into the header, its leaves stay references', async () => {
    const file = join(dir, 'lotus-two-leaves.bin')
    const data = bytes(CHUNK + 500, 4)
    writeFileSync(file, data)
    const car = join(dir, 'lotus-two-leaves.car')
    const result = await writeRefCar(car, { kind: 'file', path: file }, LOTUS_LAYOUT)
    const builder = new FileDagBuilder(LOTUS_LAYOUT)
    for (let o = 0; o < data.length; o += CHUNK) builder.write(data.subarray(o, o + CHUNK))
    expect(result.root.toString()).toBe(builder.close().cid.toString())
    expect(result.root.multihash.code).toBe(0x00)
    expect(result.root.code).toBe(0x70)
    expect((await storedBlocks(car)).map((b) => decodeReference(b.bytes).offset).sort((x, y) => x - y)).toEqual([0, CHUNK])
    const reader = await RefCarReader.open(car)
    try {
      expect((await reader.roots()).map(String)).toEqual([result.root.toString()])
      const links = (await import('@ipld/dag-pb')).decode((await reader.get(result.root))!).Links.map((l) => l.Hash)
      const back = Buffer.concat(await Promise.all(links.map(async (l) => (await reader.get(l))!)))
      expect(back.equals(Buffer.from(data))).toBe(true)
    } finally {
      await reader.close()
    }
  })

  it('a deleted source is E_IMPORT_SOURCE_MISSING naming the file', async () => {
    const file = join(dir, 'gone.bin')
    writeFileSync(file, bytes(300, 3))
    const car = join(dir, 'gone.car')
    const { root } = await writeRefCar(car, { kind: 'file', path: file }, IPFS_CAR_LAYOUT)
    rmSync(file)
    const reader = await RefCarReader.open(car)
    try {
      await expect(reader.get(root)).rejects.toMatchObject({ code: 'E_IMPORT_SOURCE_MISSING', path: file })
    } finally {
      await reader.close()
    }
  })
})
