/**
 * entity-bytes over random UnixFS files built by @ipld/unixfs (balanced and trickle layouts, raw and dag-pb
 * leaves, several levels): the blocks a walk emits must be enough for ipfs-unixfs-exporter to read the range
 * back with nothing else, must hold exactly the chunks that overlap it, and must be the only blocks loaded.
 */
import * as dagPb from '@ipld/dag-pb'
import fc from 'fast-check'
import { exporter } from 'ipfs-unixfs-exporter'
import { describe, expect, it } from 'vitest'
import { resolveEntityBytes, traverseDag, type Block } from '../../../src/store/dag/index.ts'
import { buildFile, makeBlock, unixfsData } from './build.ts'
import { collect, MemoryBlocks } from './fixtures.ts'

const storeOf = (blocks: Block[]) => {
  const s = new MemoryBlocks()
  for (const b of blocks) s.put(b.cid, b.bytes)
  return s
}

/** The byte offset each block of a file covers (its last occurrence), by a DFS over dag-pb links with fixed-size leaves. */
async function leafStarts(store: MemoryBlocks, root: Block['cid'], chunk: number): Promise<Map<string, number>> {
  const starts = new Map<string, number>()
  let leaf = 0
  const visit = async (cid: Block['cid']) => {
    const key = cid.toString()
    const links = cid.code === 0x70 ? dagPb.decode((await store.get(cid))!).Links : []
    // The last start: a block repeated in the file (same bytes, same CID) may lie before and after a range.
    starts.set(key, leaf * chunk)
    if (links.length === 0) leaf++
    for (const l of links) await visit(l.Hash as Block['cid'])
  }
  await visit(root)
  return starts
}

/**
 * Reads `[offset, offset + length)` with ipfs-unixfs-exporter from `all`, and returns the bytes with the blocks
 * it read that were not `sent`. (The exporter also fetches the block right after a range that ends on a
 * chunk boundary, so such reads are allowed when they lie wholly past the range.)
 */
async function readBack(all: MemoryBlocks, sent: Block[], root: Block['cid'], offset: number, length: number) {
  const sentKeys = new Set(sent.map((b) => b.cid.toString()))
  const unsent: string[] = []
  const get = (c: Block['cid']) =>
    (async function* () {
      if (!sentKeys.has(c.toString())) unsent.push(c.toString())
      yield (await all.get(c))!
    })()
  const entry = (await exporter(root, { get } as never)) as unknown as { content(o: { offset: number; length: number }): AsyncIterable<Uint8Array> }
  const parts: Uint8Array[] = []
  for await (const p of entry.content({ offset, length })) parts.push(p as Uint8Array)
  return { bytes: new Uint8Array(Buffer.concat(parts)), unsent }
}

describe('entity-bytes over UnixFS files', () => {
  it('emits exactly the blocks a range needs, loads nothing else, and they read back to the range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          size: fc.integer({ min: 1, max: 4000 }),
          seed: fc.nat(255),
          chunk: fc.integer({ min: 1, max: 300 }),
          width: fc.integer({ min: 2, max: 5 }),
          rawLeaves: fc.boolean(),
          trickle: fc.boolean(),
          from: fc.integer({ min: -4500, max: 4500 }),
          to: fc.oneof(fc.integer({ min: -4500, max: 4500 }), fc.constant('*' as const)),
          dups: fc.boolean(),
        }),
        async ({ size, seed, chunk, width, rawLeaves, trickle, from, to, dups }) => {
          fc.pre(to === '*' || from < 0 || to < 0 || to >= from)
          const bytes = new Uint8Array(size).map((_, i) => (i * 31 + seed + (i >> 7)) & 0xff)
          const { root, blocks } = await buildFile(bytes, { chunk, width, rawLeaves, trickle })
          const store = storeOf(blocks)
          const sent = await collect(traverseDag(store, { root, scope: 'entity', entityBytes: { from, to }, dups }))
          expect(store.gets.length).toBe(sent.length)
          expect(sent[0].cid.equals(root)).toBe(true)
          const span = resolveEntityBytes({ from, to }, size)
          if (span === undefined) {
            expect(sent).toHaveLength(1)
            return
          }
          const got = await readBack(storeOf(blocks), sent, root, span.from, span.to - span.from + 1)
          expect(Buffer.from(got.bytes).equals(Buffer.from(bytes.subarray(span.from, span.to + 1)))).toBe(true)
          const starts = await leafStarts(storeOf(blocks), root, chunk)
          for (const c of got.unsent) expect(starts.get(c)).toBeGreaterThan(span.to)
          const leaves = sent.filter((b) => b.cid.code === 0x55 || dagPb.decode(b.bytes).Links.length === 0)
          const chunks = Math.floor(span.to / chunk) - Math.floor(span.from / chunk) + 1
          if (dups) expect(leaves.length).toBe(chunks)
          else expect(new Set(sent.map((b) => b.cid.toString())).size).toBe(sent.length)
        },
      ),
      {
        numRuns: 60,
        // Found by a CI run: 1-byte dag-pb leaves repeat, so one CID lies both before and after the range.
        examples: [[{ size: 3642, seed: 0, chunk: 1, width: 2, rawLeaves: false, trickle: false, from: 36, to: -2579, dups: false }]],
      },
    )
  })

  it('revisits a repeated interior node for the other side of a range without resending it (dups=n)', async () => {
    const a = await makeBlock('raw', new Uint8Array(100).fill(1))
    const b = await makeBlock('raw', new Uint8Array(100).fill(2))
    const n = await makeBlock('dag-pb', { Data: unixfsData([[1, [2]], [3, [200]], [4, [100, 100]]]), Links: [{ Hash: a.cid, Tsize: 100 }, { Hash: b.cid, Tsize: 100 }] })
    const r = await makeBlock('dag-pb', { Data: unixfsData([[1, [2]], [3, [400]], [4, [200, 200]]]), Links: [{ Hash: n.cid, Tsize: 300 }, { Hash: n.cid, Tsize: 300 }] })
    const store = storeOf([a, b, n, r])
    const walk = async (dups: boolean) => (await collect(traverseDag(store, { root: r.cid, entityBytes: { from: 150, to: 249 }, dups }))).map((x) => x.cid.toString())
    expect(await walk(true)).toEqual([r, n, b, n, a].map((x) => x.cid.toString()))
    expect(await walk(false)).toEqual([r, n, b, a].map((x) => x.cid.toString()))
    // The whole file with dups=n walks the repeated node once.
    expect((await collect(traverseDag(store, { root: r.cid, scope: 'entity' }))).map((x) => x.cid.toString())).toEqual([r, n, a, b].map((x) => x.cid.toString()))
  })

  it('refuses a ranged walk of a file node whose blocksizes do not match its links', async () => {
    const a = await makeBlock('raw', new Uint8Array(10))
    const r = await makeBlock('dag-pb', { Data: unixfsData([[1, [2]], [4, [10]]]), Links: [{ Hash: a.cid }, { Hash: a.cid }] })
    const store = storeOf([a, r])
    await expect(collect(traverseDag(store, { root: r.cid, entityBytes: { from: 1, to: 2 } }))).rejects.toMatchObject({ code: 'E_DAG_BAD_BLOCK' })
  })
})
