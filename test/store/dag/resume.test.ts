import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planRetrieval, traverseDag, verifyDag, type Block, type DagRequest } from '../../../src/store/dag/index.ts'
import { buildFile } from './build.ts'
import { allFixtures, collect, fixtureRoot, MemoryBlocks } from './fixtures.ts'

const storeOf = (blocks: Block[]) => {
  const s = new MemoryBlocks()
  for (const b of blocks) s.put(b.cid, b.bytes)
  return s
}

/** Plans, fetches every planned request from `server` through verifyDag, stores what arrives; returns the traffic. */
async function resume(request: DagRequest, local: MemoryBlocks, server: MemoryBlocks) {
  const plan = await collect(planRetrieval(request, local))
  let transferred = 0
  for (const sub of plan) {
    for await (const block of verifyDag(sub, traverseDag(server, sub))) {
      local.put(block.cid, block.bytes)
      transferred++
    }
  }
  return { plan, transferred }
}

const ids = (blocks: Block[]) => blocks.map((b) => b.cid.toString())

describe('resuming a retrieval', () => {
  it('plans the whole request when nothing is held, and nothing when everything is', async () => {
    const store = await allFixtures()
    const root = await fixtureRoot('trustless_gateway_car/subdir-with-mixed-block-files.car')
    const request: DagRequest = { root, path: ['subdir'] }
    expect(await collect(planRetrieval(request, new MemoryBlocks()))).toEqual([request])
    expect(await collect(planRetrieval(request, store))).toEqual([])
  })

  it('continues an interrupted download of a large file with one request per tree level at most', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7 + (i >> 9)) & 0xff)
    const { root, blocks } = await buildFile(bytes, { chunk: 1000, width: 8 })
    const server = storeOf(blocks)
    const request: DagRequest = { root }
    const order = await collect(traverseDag(server, request))
    for (const cut of [1, 2, 37, Math.floor(order.length / 2), order.length - 1]) {
      const local = storeOf(order.slice(0, cut))
      const { plan, transferred } = await resume(request, local, server)
      expect(plan.length).toBeGreaterThan(0)
      expect(plan.length).toBeLessThanOrEqual(4)
      expect(transferred).toBeLessThanOrEqual(order.length - cut + plan.length * 4)
      expect(await collect(planRetrieval(request, local))).toEqual([])
      expect(ids(await collect(traverseDag(local, request)))).toEqual(ids(order))
    }
  })

  it('fills random holes in a file, a ranged file and a sharded directory', async () => {
    const fixtures = await allFixtures()
    const hamt = await fixtureRoot('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    const bytes = new Uint8Array(40_000).map((_, i) => (i * 13 + (i >> 8)) & 0xff)
    const file = await buildFile(bytes, { chunk: 500, width: 4, rawLeaves: false })
    const fileServer = storeOf(file.blocks)
    const cases: [DagRequest, MemoryBlocks][] = [
      [{ root: file.root }, fileServer],
      [{ root: file.root, entityBytes: { from: 3000, to: -7000 } }, fileServer],
      [{ root: file.root, entityBytes: { from: 3000, to: -7000 }, dups: true }, fileServer],
      [{ root: hamt, scope: 'all' }, fixtures],
      [{ root: hamt, path: ['685.txt'] }, fixtures],
    ]
    await fc.assert(
      fc.asyncProperty(fc.nat(cases.length - 1), fc.array(fc.nat(), { maxLength: 30 }), async (which, holes) => {
        const [request, server] = cases[which]
        const order = await collect(traverseDag(server, request))
        const local = storeOf(order)
        for (const h of holes) local.delete(order[h % order.length].cid)
        const missing = order.filter((b) => !local.blocks.has(Buffer.from(b.cid.multihash.bytes).toString('hex'))).length
        const { plan, transferred } = await resume(request, local, server)
        if (missing === 0) expect(plan).toEqual([])
        expect(transferred).toBeLessThanOrEqual(Math.max(order.length, missing * 8))
        expect(await collect(planRetrieval(request, local))).toEqual([])
        expect(ids(await collect(traverseDag(local, request)))).toEqual(ids(order))
      }),
      { numRuns: 40 },
    )
  })
})
