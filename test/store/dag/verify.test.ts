import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { beforeAll, describe, expect, it } from 'vitest'
import { traverseDag, verifyDag, type Block, type DagRequest } from '../../../src/store/dag/index.ts'
import { allFixtures, collect, fixtureRoot, type MemoryBlocks } from './fixtures.ts'

let store: MemoryBlocks
const R: Record<string, CID> = {}
beforeAll(async () => {
  store = await allFixtures()
  R.dup = await fixtureRoot('trustless_gateway_car/dir-with-duplicate-files.car')
  R.hamt = await fixtureRoot('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
  R.mixed = await fixtureRoot('trustless_gateway_car/subdir-with-mixed-block-files.car')
  R.missing = await fixtureRoot('trustless_gateway_car/file-3k-and-3-blocks-missing-block.car')
  R.cbor = await fixtureRoot('trustless_gateway_car/dir-with-dag-cbor-with-links.car')
})

const requests = (): [string, DagRequest][] => [
  ['a directory with duplicates, dups=y', { root: R.dup, dups: true }],
  ['a directory with duplicates, dups=n', { root: R.dup }],
  ['a HAMT path', { root: R.hamt, path: ['685.txt'] }],
  ['a HAMT entity', { root: R.hamt, scope: 'entity' }],
  ['an entity-bytes range', { root: R.mixed, path: ['subdir', 'multiblock.txt'], entityBytes: { from: 300, to: -300 } }],
  ['a range beside a missing block', { root: R.missing, entityBytes: { from: 2200, to: '*' } }],
  ['a DAG-CBOR document and all it links', { root: R.cbor, path: ['document'], scope: 'all' }],
]

async function* from(blocks: Block[], onClose?: () => void): AsyncGenerator<Block> {
  try {
    yield* blocks
  } finally {
    onClose?.()
  }
}

/** Runs verifyDag to the end; returns what it yielded and what it threw. */
async function run(request: DagRequest, blocks: Block[], options = {}) {
  const yielded: Block[] = []
  try {
    for await (const b of verifyDag(request, from(blocks), options)) yielded.push(b)
    return { yielded, error: undefined }
  } catch (error) {
    return { yielded, error: error as { code: string; expected?: CID; received?: CID } }
  }
}

const serve = (request: DagRequest) => collect(traverseDag(store, request))

describe('verifying a response', () => {
  it.each([0, 1, 2, 3, 4, 5, 6])('passes the exact stream for request %i', async (i) => {
    const [, request] = requests()[i]
    const blocks = await serve(request)
    const { yielded, error } = await run(request, blocks)
    expect(error).toBeUndefined()
    expect(yielded.map((b) => b.cid.toString())).toEqual(blocks.map((b) => b.cid.toString()))
  })

  it('rejects a wrong block with E_DAG_UNEXPECTED_BLOCK naming both CIDs, yielding only what came before', async () => {
    const request: DagRequest = { root: R.dup, dups: true }
    const blocks = await serve(request)
    const other = (await serve({ root: R.mixed }))[1]
    const { yielded, error } = await run(request, [...blocks.slice(0, 2), other, ...blocks.slice(3)])
    expect(error).toMatchObject({ code: 'E_DAG_UNEXPECTED_BLOCK', expected: blocks[2].cid, received: other.cid })
    expect(yielded).toEqual(blocks.slice(0, 2))
  })

  it('rejects a block whose bytes do not hash to its CID with E_DAG_HASH_MISMATCH', async () => {
    const request: DagRequest = { root: R.mixed, path: ['subdir', 'multiblock.txt'] }
    const blocks = await serve(request)
    const bad = blocks.map((b, i) => (i === 4 ? { cid: b.cid, bytes: Uint8Array.from(b.bytes, (x, j) => (j === 0 ? x ^ 1 : x)) } : b))
    const { yielded, error } = await run(request, bad)
    expect(error).toMatchObject({ code: 'E_DAG_HASH_MISMATCH' })
    expect(yielded).toEqual(blocks.slice(0, 4))
  })

  it('rejects a stream that ends early with E_DAG_MISSING_BLOCK', async () => {
    const request: DagRequest = { root: R.hamt, path: ['685.txt'] }
    const blocks = await serve(request)
    const { yielded, error } = await run(request, blocks.slice(0, -1))
    expect(error).toMatchObject({ code: 'E_DAG_MISSING_BLOCK', expected: blocks.at(-1)!.cid })
    expect(yielded).toEqual(blocks.slice(0, -1))
  })

  it('rejects a block after the complete DAG with E_DAG_EXTRANEOUS_BLOCK', async () => {
    const request: DagRequest = { root: R.dup }
    const blocks = await serve(request)
    const { yielded, error } = await run(request, [...blocks, blocks[1]])
    expect(error).toMatchObject({ code: 'E_DAG_EXTRANEOUS_BLOCK', received: blocks[1].cid })
    expect(yielded).toEqual(blocks)
  })

  it('rejects reordered, dropped and duplicated blocks', async () => {
    const request: DagRequest = { root: R.dup }
    const blocks = await serve(request)
    const swapped = [blocks[0], blocks[2], blocks[1], ...blocks.slice(3)]
    expect((await run(request, swapped)).error).toMatchObject({ code: 'E_DAG_UNEXPECTED_BLOCK' })
    expect((await run(request, [blocks[0], ...blocks.slice(2)])).error).toMatchObject({ code: 'E_DAG_UNEXPECTED_BLOCK' })
    // dups=y sends the duplicate file twice; a dups=n request must not accept it.
    expect((await run(request, await serve({ root: R.dup, dups: true }))).error).toMatchObject({ code: 'E_DAG_UNEXPECTED_BLOCK' })
    expect((await run({ root: R.dup, dups: true }, blocks)).error).toMatchObject({ code: 'E_DAG_UNEXPECTED_BLOCK' })
  })

  it('compares CIDs by bytes: a CIDv1 for a CIDv0 link is a wrong block', async () => {
    const request: DagRequest = { root: R.missing, entityBytes: { from: 0, to: 10 } }
    const blocks = await serve(request)
    expect(blocks[1].cid.version).toBe(0)
    const v1 = [blocks[0], { cid: blocks[1].cid.toV1(), bytes: blocks[1].bytes }]
    expect((await run(request, v1)).error).toMatchObject({ code: 'E_DAG_UNEXPECTED_BLOCK' })
  })

  it('caps block size and refuses hashes it cannot compute', async () => {
    const request: DagRequest = { root: R.dup }
    const blocks = await serve(request)
    expect((await run(request, blocks, { maxBlockSize: 100 })).error).toMatchObject({ code: 'E_DAG_BLOCK_TOO_LARGE' })
    const odd = CID.createV1(0x55, Digest.create(0x1e, new Uint8Array(32)))
    expect((await run({ root: odd }, [{ cid: odd, bytes: new Uint8Array(4) }])).error).toMatchObject({ code: 'E_DAG_UNSUPPORTED_HASH' })
  })

  it('closes the incoming stream when it stops early', async () => {
    const request: DagRequest = { root: R.dup }
    const blocks = await serve(request)
    let closed = false
    const it = verifyDag(request, from([blocks[1], ...blocks], () => (closed = true)))
    await expect(collect(it)).rejects.toMatchObject({ code: 'E_DAG_UNEXPECTED_BLOCK' })
    expect(closed).toBe(true)
  })

  it('only ever yields a prefix of the true stream and fails with a typed error on any mutation', async () => {
    const request: DagRequest = { root: R.dup, dups: true }
    const blocks = await serve(request)
    const codes = new Set(['E_DAG_UNEXPECTED_BLOCK', 'E_DAG_MISSING_BLOCK', 'E_DAG_EXTRANEOUS_BLOCK', 'E_DAG_HASH_MISMATCH'])
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('drop', 'dup', 'swap', 'flip'), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), async (ops) => {
        const s = [...blocks]
        for (const [op, a, b] of ops) {
          const i = a % s.length
          const j = b % s.length
          if (op === 'drop' && s.length > 1) s.splice(i, 1)
          else if (op === 'dup') s.splice(i, 0, s[i])
          else if (op === 'swap') [s[i], s[j]] = [s[j], s[i]]
          else if (op === 'flip') s[i] = { cid: s[i].cid, bytes: Uint8Array.from(s[i].bytes, (x, k) => (k === b % s[i].bytes.length ? x ^ 0x80 : x)) }
        }
        const { yielded, error } = await run(request, s)
        const same = s.length === blocks.length && s.every((x, k) => x.cid.equals(blocks[k].cid) && Buffer.from(x.bytes).equals(Buffer.from(blocks[k].bytes)))
        if (same) expect(error).toBeUndefined()
        else expect(codes.has(error?.code ?? '')).toBe(true)
        yielded.forEach((y, k) => {
          expect(y.cid.equals(blocks[k].cid)).toBe(true)
          expect(Buffer.from(y.bytes).equals(Buffer.from(blocks[k].bytes))).toBe(true)
        })
      }),
      { numRuns: 200 },
    )
  })
})
