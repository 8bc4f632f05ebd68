/**
 * putMany through the native kernel (libpetal car-put.c, one call per 1 MiB batch) against the TypeScript
 * path: the same file bytes, index and errors for random block lists with duplicates within and across
 * batches, identity CIDs, CIDv0, large blocks, CIDs the kernel does not parse, resumed stores and failing
 * blocks; and the conformance suite with the kernels installed. Skipped when the library cannot be built.
 */
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openCarNative } from '../../../src/node/runtime/native/index.ts'
import { openReadOnly, openReadWrite, type ReadWriteOptions } from '../../../src/store/blockstore/index.ts'
import type { Block } from '../../../src/store/blockstore/types.ts'
import { setCarNative, type CarNative } from '../../../src/store/car/index.ts'
import { collect, makeBlock, pseudoRandomBytes, tempDir, type HashChoice } from '../car/helpers.ts'
import { describeBlockstoreConformance } from './conformance.ts'

function load(): CarNative | null {
  try {
    return openCarNative()
  } catch {
    return null
  }
}
const native = load()
const tmp = tempDir('petal-native-put-')
afterAll(() => {
  setCarNative(null)
  tmp.cleanup()
})
let n = 0
const next = () => join(tmp.dir, `${n++}.car`)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const ROOTS = [CID.parse('bafkqaaa')]

type Step = { kind: 'putMany'; blocks: Block[] } | { kind: 'put'; block: Block }

/** Runs `steps` into a new store (or a copy of `base`), finalizes it, and returns the file or the error code. */
async function write(withNative: boolean, steps: Step[], options: ReadWriteOptions = {}, base?: string): Promise<string> {
  const path = next()
  if (base !== undefined) copyFileSync(base, path)
  setCarNative(withNative ? native : null)
  const errors: string[] = []
  try {
    const rw = await openReadWrite(path, ROOTS, options)
    for (const step of steps) {
      try {
        if (step.kind === 'putMany') await rw.putMany(step.blocks)
        else await rw.put(step.block.cid, step.block.bytes)
      } catch (err) {
        errors.push((err as { code?: string }).code ?? String(err))
      }
    }
    await rw.finalize()
    await rw.close()
  } finally {
    setCarNative(null)
  }
  return `${errors.join(',')}|${hex(readFileSync(path))}`
}

async function expectSame(steps: Step[], options: ReadWriteOptions = {}, base?: string): Promise<string> {
  const typescript = await write(false, steps, options, base)
  expect(await write(true, steps, options, base)).toBe(typescript)
  return typescript
}

const HASHES: HashChoice[] = ['sha2-256', 'sha2-256', 'blake2b-256', 'identity']

async function blockOf(size: number, seed: number, hash: HashChoice, v0: boolean): Promise<Block> {
  const b = await makeBlock(pseudoRandomBytes(size, seed), v0 ? 'sha2-256' : hash, v0 ? 0x70 : 0x55)
  return v0 ? { cid: CID.createV0(b.cid.multihash as Digest.Digest<0x12, number>), bytes: b.bytes } : b
}

describe.skipIf(native === null)('ReadWrite putMany with the native kernel', () => {
  it('writes the same file as the TypeScript path for random blocks, duplicates and mixed calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            size: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constantFrom(65_000, 65_600, 70_000)),
            hash: fc.integer({ min: 0, max: HASHES.length - 1 }),
            v0: fc.boolean(),
            dup: fc.option(fc.nat(), { freq: 3 }),
          }),
          { maxLength: 60 },
        ),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.boolean(),
        async (specs, cuts, storeIdentityCids) => {
          const blocks: Block[] = []
          for (const [i, s] of specs.entries()) {
            blocks.push(s.dup !== null && blocks.length > 0 ? blocks[s.dup % blocks.length] : await blockOf(s.size, i + 1, HASHES[s.hash], s.v0))
          }
          // Split into putMany calls, with a single put between some of them.
          const steps: Step[] = []
          let at = 0
          for (const cut of [...cuts.map((c) => c % (blocks.length + 1)).sort((a, b) => a - b), blocks.length]) {
            steps.push({ kind: 'putMany', blocks: blocks.slice(at, Math.max(at, cut)) })
            if (blocks.length > 0) steps.push({ kind: 'put', block: blocks[cut % blocks.length] })
            at = Math.max(at, cut)
          }
          await expectSame(steps, { storeIdentityCids })
        },
      ),
      { numRuns: 40 },
    )
  })

  it('dedupes within and across 1 MiB batches, and against what a resumed file holds', async () => {
    const blocks: Block[] = []
    for (let i = 0; i < 3000; i++) blocks.push(i % 5 === 4 ? blocks[(i * 7) % i] : await blockOf(1024, 10_000 + i, 'sha2-256', false))
    const first = next()
    setCarNative(native)
    const rw = await openReadWrite(first, ROOTS)
    await rw.putMany(blocks.slice(0, 1700))
    await rw.close()
    setCarNative(null)
    await expectSame([{ kind: 'putMany', blocks }])
    // Resumed: the first 1700 are in the file already (some are written again only if not).
    await expectSame([{ kind: 'putMany', blocks }], {}, first)
    setCarNative(native)
    const again = await openReadWrite(first, ROOTS)
    await again.putMany(blocks)
    await again.finalize()
    await again.close()
    setCarNative(null)
    const ro = await openReadOnly(first)
    const distinct = new Set(blocks.map((b) => hex(b.cid.multihash.bytes)))
    expect((await collect(ro.cids())).length).toBe(distinct.size)
    for (const b of blocks.slice(0, 200)) expect(hex(await ro.get(b.cid))).toBe(hex(b.bytes))
    await ro.close()
  })

  it('hands CIDs it does not parse back to the TypeScript path, in order', async () => {
    // A content codec past four varint bytes, and a digest length past four: the kernel stops at each.
    const odd = (code: number, i: number): Block => ({ cid: CID.createV1(code, Digest.create(0x12, pseudoRandomBytes(32, i))), bytes: pseudoRandomBytes(100, i) })
    const blocks: Block[] = []
    for (let i = 0; i < 400; i++) blocks.push(i % 50 === 7 ? odd(0x1000_0000 + i, i) : await blockOf(500, 20_000 + i, 'sha2-256', false))
    blocks.push(odd(0x1000_0000 + 7, 7), blocks[3])
    await expectSame([{ kind: 'putMany', blocks }])
  })

  it('stores the blocks before a failing one, with the same error', async () => {
    const blocks: Block[] = []
    for (let i = 0; i < 300; i++) blocks.push(await blockOf(i === 150 ? 5000 : 800, 30_000 + i, 'sha2-256', false))
    const out = await expectSame([{ kind: 'putMany', blocks }, { kind: 'putMany', blocks: blocks.slice(140, 149) }], { maxSectionSize: 4096 })
    expect(out.startsWith('E_CAR_SECTION_TOO_LARGE|')).toBe(true)
  })

  it('grows the index while a putMany runs and answers lookups between batches', async () => {
    const blocks: Block[] = []
    for (let i = 0; i < 5000; i++) blocks.push(await blockOf(300, 40_000 + i, i % 3 === 0 ? 'blake2b-256' : 'sha2-256', false))
    setCarNative(native)
    try {
      const rw = await openReadWrite(next(), [blocks[0].cid])
      for (let at = 0; at < blocks.length; at += 1200) {
        await rw.putMany(blocks.slice(at, at + 1200))
        for (const b of blocks.slice(0, at + 1200).filter((_, i) => i % 97 === 0)) expect(await rw.has(b.cid)).toBe(true)
      }
      for (const b of blocks.filter((_, i) => i % 113 === 0)) expect(hex(await rw.get(b.cid))).toBe(hex(b.bytes))
      expect(await rw.has((await blockOf(300, 1, 'sha2-256', false)).cid)).toBe(false)
      await rw.close()
    } finally {
      setCarNative(null)
    }
  })
})

describe.skipIf(native === null)('conformance with the native kernels installed', () => {
  beforeAll(() => setCarNative(native))
  afterAll(() => setCarNative(null))

  describeBlockstoreConformance({
    name: 'ReadWrite while writing (native putMany)',
    writable: true,
    async open(roots: CID[], blocks: Block[]) {
      const store = await openReadWrite(next(), roots)
      await store.putMany(blocks)
      return store
    },
  })
})
