/**
 * The blockstore conformance suite: what every `Blockstore` implementation must do, as vitest tests.
 * Call `describeBlockstoreConformance(subject)` from a test file; `subject.open(roots, blocks)` returns a
 * store holding `blocks` (a writable subject may create an empty store and put them itself).
 */
import * as fc from 'fast-check'
import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import type { Block, Blockstore } from '../../../src/store/blockstore/types.ts'
import { expectCode, makeBlock, type HashChoice } from '../car/helpers.ts'

/** An implementation under test. */
export interface ConformanceSubject {
  name: string
  /** A store holding `blocks` under `roots`. */
  open(roots: CID[], blocks: Block[]): Promise<Blockstore>
  /** Whether `put`/`putMany` store blocks; a read-only store must refuse them with E_BLOCKSTORE_READ_ONLY. */
  writable: boolean
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const text = (s: string) => new TextEncoder().encode(s)

async function sampleBlocks(): Promise<Block[]> {
  return [
    await makeBlock(text('alpha'), 'sha2-256'),
    await makeBlock(text('beta'), 'blake2b-256'),
    await makeBlock(new Uint8Array(0), 'sha2-256'),
    await makeBlock(new Uint8Array(70_000).fill(3), 'sha2-256', 0x71),
    await makeBlock(text('epsilon'), 'sha2-256', 0x70),
  ]
}

/** Blocks with distinct multihashes (what a multihash-keyed store can hold distinctly). */
function uniqueByMultihash(blocks: Block[]): Block[] {
  const seen = new Set<string>()
  return blocks.filter((b) => {
    const k = hex(b.cid.multihash.bytes)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

async function cidSet(store: Blockstore): Promise<string[]> {
  const out: string[] = []
  for await (const cid of store.cids()) out.push(hex(cid.multihash.bytes))
  return out.sort()
}

/** Registers the conformance tests for `subject`. */
export function describeBlockstoreConformance(subject: ConformanceSubject): void {
  describe(`Blockstore conformance: ${subject.name}`, () => {
    it('answers has, get and getSize for every stored block', async () => {
      const blocks = await sampleBlocks()
      const store = await subject.open([blocks[0].cid], blocks)
      for (const b of blocks) {
        expect(await store.has(b.cid)).toBe(true)
        expect(hex(await store.get(b.cid))).toBe(hex(b.bytes))
        expect(await store.getSize(b.cid)).toBe(b.bytes.length)
      }
      await store.close()
    })

    it('reports an absent block: has is false, get and getSize reject with E_BLOCKSTORE_NOT_FOUND', async () => {
      const blocks = await sampleBlocks()
      const store = await subject.open([], blocks.slice(0, 2))
      const absent = blocks[2].cid
      expect(await store.has(absent)).toBe(false)
      await expectCode(store.get(absent), 'E_BLOCKSTORE_NOT_FOUND')
      await expectCode(store.getSize(absent), 'E_BLOCKSTORE_NOT_FOUND')
      await store.close()
    })

    it('lists every stored block once with cids() and returns its roots', async () => {
      const blocks = await sampleBlocks()
      const roots = [blocks[3].cid, blocks[1].cid]
      const store = await subject.open(roots, blocks)
      expect(await cidSet(store)).toEqual(blocks.map((b) => hex(b.cid.multihash.bytes)).sort())
      expect((await store.roots()).map(String)).toEqual(roots.map(String))
      await store.close()
    })

    it('answers identity CIDs from their digest without storing them', async () => {
      const blocks = await sampleBlocks()
      const store = await subject.open([], blocks)
      const inline = await makeBlock(text('inline data'), 'identity')
      expect(await store.has(inline.cid)).toBe(true)
      expect(hex(await store.get(inline.cid))).toBe(hex(inline.bytes))
      expect(await store.getSize(inline.cid)).toBe(inline.bytes.length)
      await store.close()
    })

    it('finds a block by multihash: the same digest under another codec answers with the same bytes', async () => {
      const blocks = await sampleBlocks()
      const store = await subject.open([], blocks)
      const other = CID.createV1(0x71, blocks[0].cid.multihash)
      expect(await store.has(other)).toBe(true)
      expect(hex(await store.get(other))).toBe(hex(blocks[0].bytes))
      await store.close()
    })

    it('rejects every call with E_ABORTED once the signal has fired', async () => {
      const blocks = await sampleBlocks()
      const store = await subject.open([], blocks)
      const ac = new AbortController()
      ac.abort(new Error('stop'))
      const signal = ac.signal
      await expectCode(store.has(blocks[0].cid, { signal }), 'E_ABORTED')
      await expectCode(store.get(blocks[0].cid, { signal }), 'E_ABORTED')
      await expectCode(store.getSize(blocks[0].cid, { signal }), 'E_ABORTED')
      await expectCode(store.put(blocks[0].cid, blocks[0].bytes, { signal }), 'E_ABORTED')
      await expectCode(store.putMany([blocks[0]], { signal }), 'E_ABORTED')
      await expectCode(store.roots({ signal }), 'E_ABORTED')
      await expectCode(async () => {
        for await (const c of store.cids({ signal })) void c
      }, 'E_ABORTED')
      await store.close()
    })

    it('rejects calls after close with E_BLOCKSTORE_CLOSED', async () => {
      const blocks = await sampleBlocks()
      const store = await subject.open([], blocks)
      await store.close()
      await store.close()
      await expectCode(store.get(blocks[0].cid), 'E_BLOCKSTORE_CLOSED')
      await expectCode(store.has(blocks[0].cid), 'E_BLOCKSTORE_CLOSED')
      await expectCode(store.put(blocks[0].cid, blocks[0].bytes), 'E_BLOCKSTORE_CLOSED')
    })

    if (subject.writable) {
      it('put makes a block readable at once, and a second put of it stores nothing new', async () => {
        const blocks = await sampleBlocks()
        const store = await subject.open([], [])
        await store.put(blocks[1].cid, blocks[1].bytes)
        expect(hex(await store.get(blocks[1].cid))).toBe(hex(blocks[1].bytes))
        await store.put(blocks[1].cid, blocks[1].bytes)
        expect(await cidSet(store)).toEqual([hex(blocks[1].cid.multihash.bytes)])
        await store.close()
      })

      it('putMany takes an async iterable and interleaves with reads', async () => {
        const blocks = await sampleBlocks()
        const store = await subject.open([], [])
        async function* slowly() {
          for (const b of blocks) {
            yield b
            if (await store.has(blocks[0].cid)) expect(hex(await store.get(blocks[0].cid))).toBe(hex(blocks[0].bytes))
          }
        }
        await store.putMany(slowly())
        for (const b of blocks) expect(hex(await store.get(b.cid))).toBe(hex(b.bytes))
        await store.close()
      })
    } else {
      it('refuses put and putMany with E_BLOCKSTORE_READ_ONLY', async () => {
        const blocks = await sampleBlocks()
        const store = await subject.open([], blocks.slice(0, 1))
        await expectCode(store.put(blocks[1].cid, blocks[1].bytes), 'E_BLOCKSTORE_READ_ONLY')
        await expectCode(store.putMany([blocks[1]]), 'E_BLOCKSTORE_READ_ONLY')
        await store.close()
      })
    }

    it('reads back any set of blocks identically (property)', async () => {
      const spec = fc.record({
        bytes: fc.uint8Array({ maxLength: 5000 }),
        hash: fc.constantFrom<HashChoice>('sha2-256', 'blake2b-256'),
        codec: fc.constantFrom(0x55, 0x71, 0x70, 0x0129),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(spec, { maxLength: 25 }), async (specs) => {
          const blocks = uniqueByMultihash(await Promise.all(specs.map((s) => makeBlock(s.bytes, s.hash, s.codec))))
          const roots = blocks.slice(0, 1).map((b) => b.cid)
          const store = await subject.open(roots, blocks)
          for (const b of blocks) expect(hex(await store.get(b.cid))).toBe(hex(b.bytes))
          expect(await cidSet(store)).toEqual(blocks.map((b) => hex(b.cid.multihash.bytes)).sort())
          expect((await store.roots()).map(String)).toEqual(roots.map(String))
          await store.close()
        }),
        { numRuns: 15 },
      )
    })
  })
}
