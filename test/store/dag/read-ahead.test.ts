/**
 * Read-ahead for a walk: the `prefetch` hook names the blocks the walk will load next, a readAhead loader
 * starts them early, and the walk's output is unchanged; at most `window` loads are held.
 */
import type { CID } from 'multiformats/cid'
import { beforeAll, describe, expect, it } from 'vitest'
import { readAhead, walkDag, type DagRequest } from '../../../src/store/dag/index.ts'
import { allFixtures, collect, fixtureRoot, type MemoryBlocks } from './fixtures.ts'
import { buildFile } from './build.ts'

let store: MemoryBlocks
beforeAll(async () => {
  store = await allFixtures()
})

const ids = (blocks: { cid: CID }[]) => blocks.map((b) => b.cid.toString())

describe('read-ahead', () => {
  const requests: [string, () => Promise<DagRequest>][] = [
    ['a whole directory with duplicate files (dups=n)', async () => ({ root: await fixtureRoot('trustless_gateway_car/dir-with-duplicate-files.car') })],
    ['a whole directory with duplicate files (dups=y)', async () => ({ root: await fixtureRoot('trustless_gateway_car/dir-with-duplicate-files.car'), dups: true })],
    ['a HAMT entry by path', async () => ({ root: await fixtureRoot('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car'), path: ['685.txt'] })],
    ['a byte range of a file', async () => ({ root: await fixtureRoot('trustless_gateway_car/subdir-with-mixed-block-files.car'), path: ['subdir', 'multiblock.txt'], entityBytes: { from: 1000, to: 2000 } })],
  ]

  for (const [name, request] of requests) {
    it(`gives the same blocks as a plain walk, and only ever hints at blocks the walk then loads: ${name}`, async () => {
      const req = await request()
      const plain = ids(await collect(walkDag(req, { load: (cid) => store.get(cid) })))
      const loads: string[] = []
      const hinted: string[] = []
      const reader = readAhead(async (cid) => {
        loads.push(cid.toString())
        return store.get(cid)
      }, 3)
      const withHints = ids(
        await collect(
          walkDag(req, {
            load: reader.load,
            prefetch: (cid) => {
              hinted.push(cid.toString())
              reader.prefetch(cid)
            },
          }),
        ),
      )
      expect(withHints).toEqual(plain)
      // Every block the walk emitted was loaded once (by prefetch or on demand); hints name emitted blocks.
      expect(new Set(loads)).toEqual(new Set(plain.filter((c) => !c.startsWith('bafkqa'))))
      for (const h of hinted) expect(plain).toContain(h)
    })
  }

  it('starts loads ahead of the walk, never more than the window at once', async () => {
    const { root, blocks } = await buildFile(crypto.getRandomValues(new Uint8Array(40_000)), { chunk: 1000, width: 8 })
    const byId = new Map(blocks.map((b) => [b.cid.toString(), b.bytes]))
    let inFlight = 0
    let most = 0
    let prefetched = 0
    const release: (() => void)[] = []
    const reader = readAhead(async (cid) => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise<void>((r) => release.push(r))
      inFlight--
      return byId.get(cid.toString())
    }, 4)
    const pump = setInterval(() => release.splice(0).forEach((r) => r()), 1)
    try {
      const out = await collect(
        walkDag({ root }, {
          load: reader.load,
          prefetch: (cid) => {
            prefetched++
            reader.prefetch(cid)
          },
          ahead: 4,
        }),
      )
      expect(out).toHaveLength(blocks.length)
    } finally {
      clearInterval(pump)
    }
    expect(prefetched).toBeGreaterThan(blocks.length / 2)
    // The window plus the one load the walk is waiting on.
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(5)
  })

  it('a prefetched load that fails reaches the walk when it asks, and one it never asks for is not an unhandled rejection', async () => {
    const { root, blocks } = await buildFile(crypto.getRandomValues(new Uint8Array(10_000)), { chunk: 1000, width: 4 })
    const bad = blocks.find((b) => b.bytes.length === 1000)!.cid.toString()
    const reader = readAhead(async (cid) => {
      if (cid.toString() === bad) throw Object.assign(new Error('disk error'), { code: 'E_TEST' })
      return blocks.find((b) => b.cid.toString() === cid.toString())?.bytes
    })
    await expect(collect(walkDag({ root }, { load: reader.load, prefetch: reader.prefetch }))).rejects.toMatchObject({ code: 'E_TEST' })
    // A prefetch nobody collects: the failure stays inside the loader.
    const idle = readAhead(async () => {
      throw new Error('never collected')
    })
    idle.prefetch(blocks[0].cid)
    await new Promise((r) => setTimeout(r, 10))
  })
})
