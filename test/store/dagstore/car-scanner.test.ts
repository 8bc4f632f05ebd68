import { CarIndexer } from '@ipld/car'
import fc from 'fast-check'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StoreError } from '../../../src/store/errors.ts'
import { createCarScanner, openFileReader, toEntryBatch, type ShardScanner } from '../../../src/store/dagstore/index.ts'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** What @ipld/car's CarIndexer lists for a CAR (identity CIDs left out, as go-car indexes do). */
async function reference(bytes: Uint8Array): Promise<{ roots: string[]; entries: Array<[string, number, number]> }> {
  const indexer = await CarIndexer.fromBytes(bytes)
  const dataOffset = indexer.version === 2 ? Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(11 + 16, true)) : 0
  const entries: Array<[string, number, number]> = []
  for await (const e of indexer) if (e.cid.multihash.code !== 0) entries.push([hex(e.cid.multihash.bytes), e.offset - dataOffset, e.blockLength])
  return { roots: (await indexer.getRoots()).map(String), entries }
}

async function scanFile(path: string, scanner: ShardScanner = createCarScanner()): Promise<{ dataOffset: number; roots: string[]; entries: Array<[string, number, number]>; batches: number[] }> {
  const reader = openFileReader(path)
  try {
    const scan = await scanner(reader, {})
    const entries: Array<[string, number, number]> = []
    const batches: number[] = []
    for await (const scanned of scan.entries) {
      const batch = toEntryBatch(scanned)
      batches.push(batch.count)
      for (let i = 0; i < batch.count; i++) entries.push([hex(batch.multihash(i)), batch.offsets[i], batch.sizes[i]])
    }
    return { dataOffset: scan.dataOffset, roots: scan.roots.map(String), entries, batches }
  } finally {
    reader.close()
  }
}

function carFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.car'))
    .map((d) => join(d.parentPath, d.name))
}

describe('the CAR shard scanner', () => {
  let tmp: string
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'petal-scanner-'))
  })
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  const good = [
    ...carFiles(join(FIXTURES, 'gateway')),
    ...['v2/sample-v1.car', 'v2/sample-wrapped-v2.car', 'v2/sample-rw-bs-v2.car', 'v2/sample-unixfs-v2.car', 'v2/sample-v1-noidentity.car', 'v2/sample-v2-indexless.car', 'ipld-spec/carv1-basic.car', 'ipld-spec/carv2-basic.car', 'dagstore/lotus-markets-sample-rw-bs-v2.car'].map((f) => join(FIXTURES, 'car', f)),
  ]

  it.each(good.map((f) => [f.slice(FIXTURES.length + 1), f]))('lists the same blocks, offsets and sizes as @ipld/car for %s', async (_name, path) => {
    const want = await reference(readFileSync(path))
    const got = await scanFile(path)
    expect(got.roots).toEqual(want.roots)
    expect(got.entries).toEqual(want.entries)
  })

  it('reports a CARv2 payload at its data offset', async () => {
    const got = await scanFile(join(FIXTURES, 'car/v2/sample-wrapped-v2.car'))
    expect(got.dataOffset).toBe(51)
    expect(got.entries.length).toBe(1043)
  })

  it('reads a CARv1 followed by zero padding (an unsealed piece) up to the padding', async () => {
    const v1 = await scanFile(join(FIXTURES, 'car/v2/sample-v1.car'))
    const padded = await scanFile(join(FIXTURES, 'car/v2/sample-v1-with-zero-len-section.car'))
    expect(padded.entries).toEqual(v1.entries)
    // Padding to a full unpadded piece size (127/128 of a power of two), as the staging folder holds pieces.
    const bytes = readFileSync(join(FIXTURES, 'car/v2/sample-v1.car'))
    const piece = new Uint8Array((1 << 20) * (127 / 128))
    piece.set(bytes)
    writeFileSync(join(tmp, 'piece'), piece)
    expect((await scanFile(join(tmp, 'piece'))).entries).toEqual(v1.entries)
  })

  it('reads a CARv2 followed by zero padding', async () => {
    const bytes = readFileSync(join(FIXTURES, 'car/v2/sample-wrapped-v2.car'))
    const piece = new Uint8Array(bytes.length + 4096)
    piece.set(bytes)
    writeFileSync(join(tmp, 'piece-v2'), piece)
    expect((await scanFile(join(tmp, 'piece-v2'))).entries).toEqual((await scanFile(join(FIXTURES, 'car/v2/sample-wrapped-v2.car'))).entries)
  })

  it('hands entries over in batches of the configured size, resuming where each stopped', async () => {
    const whole = await scanFile(join(FIXTURES, 'car/v2/sample-v1.car'))
    const batched = await scanFile(join(FIXTURES, 'car/v2/sample-v1.car'), createCarScanner({ batchSize: 100 }))
    expect(batched.entries).toEqual(whole.entries)
    expect(batched.batches).toEqual([...Array(10).fill(100), 43])
  })

  it('indexes identity CIDs only when asked', async () => {
    const path = join(FIXTURES, 'car/v2/sample-v1.car')
    expect((await scanFile(path, createCarScanner({ includeIdentity: true }))).entries.length).toBe(1049)
  })

  it('fails a truncated CAR with the CAR layer’s typed error', async () => {
    const bytes = readFileSync(join(FIXTURES, 'car/v2/sample-v1.car'))
    writeFileSync(join(tmp, 'cut.car'), bytes.subarray(0, bytes.length - 100))
    await expect(scanFile(join(tmp, 'cut.car'))).rejects.toMatchObject({ code: 'E_CAR_TRUNCATED' })
  })

  it('fails a file that is not a CAR with a typed error', async () => {
    await expect(scanFile(join(FIXTURES, 'car/dagstore/junk.dat'))).rejects.toBeInstanceOf(StoreError)
  })

  it('stops at the section cap instead of buffering a hostile section', async () => {
    await expect(scanFile(join(FIXTURES, 'car/v2/sample-v1.car'), createCarScanner({ maxSectionSize: 64 }))).rejects.toMatchObject({ code: 'E_CAR_SECTION_TOO_LARGE' })
  })

  it('only ever raises typed store errors on mutated CARs', async () => {
    const base = readFileSync(join(FIXTURES, 'car/v2/sample-rw-bs-v2.car'))
    const path = join(tmp, 'mutated.car')
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(base.length), async (edits, cut) => {
        const bytes = Uint8Array.from(base).subarray(0, Math.max(1, cut))
        for (const [at, v] of edits) if (at < bytes.length) bytes[at] = v
        writeFileSync(path, bytes)
        try {
          await scanFile(path)
        } catch (err) {
          expect(err).toBeInstanceOf(StoreError)
        }
      }),
      { numRuns: 150 },
    )
  })
})
