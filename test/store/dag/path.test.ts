import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolvePath, traverseDag } from '../../../src/store/dag/index.ts'
import { makeBlock, unixfsData } from './build.ts'
import { allFixtures, collect, exporterCid, fixtureRoot, MemoryBlocks } from './fixtures.ts'

let store: MemoryBlocks
const load = (cid: CID) => store.get(cid)
const ids = (cids: CID[]) => cids.map((c) => c.toString())

beforeAll(async () => {
  store = await allFixtures()
})

describe('resolving paths', () => {
  it.each(['path_gateway_dag/dag-cbor-traversal.car', 'path_gateway_dag/dag-json-traversal.car'])(
    'walks map keys inside %s blocks and follows links to the next block',
    async (fixture) => {
      const root = await fixtureRoot(fixture)
      const link = await exporterCid(store, root, ['foo', 'link'])
      const bar = await exporterCid(store, root, ['foo', 'link', 'bar'])
      const r = await resolvePath(root, ['foo', 'link', 'bar'], load)
      expect(ids(r.blocks.map((b) => b.cid))).toEqual(ids([root, link, bar]))
      expect(ids(r.roots)).toEqual(ids([root, link, bar]))
      expect(r.terminal.cid.equals(bar)).toBe(true)
    },
  )

  it('answers E_DAG_PATH_UNSUPPORTED when the path ends inside a block on a value that is not a link', async () => {
    const root = await fixtureRoot('path_gateway_dag/dag-cbor-traversal.car')
    for (const path of [['foo', 'object', 'banana'], ['foo', 'object'], ['foo', 'link', 'bar', 'hello'], ['foo']]) {
      await expect(resolvePath(root, path, load)).rejects.toMatchObject({ code: 'E_DAG_PATH_UNSUPPORTED' })
    }
  })

  it('answers E_DAG_PATH_NOT_FOUND for a missing key or a step into a scalar', async () => {
    const root = await fixtureRoot('path_gateway_dag/dag-json-traversal.car')
    for (const path of [['nope'], ['foo', 'nope'], ['foo', 'object', 'banana', 'x'], ['foo', 'link', 'bar', 'hello', 'x']]) {
      await expect(resolvePath(root, path, load)).rejects.toMatchObject({ code: 'E_DAG_PATH_NOT_FOUND' })
    }
  })

  it('indexes lists by decimal position only', async () => {
    const a = await makeBlock('raw', new Uint8Array([1]))
    const b = await makeBlock('raw', new Uint8Array([2]))
    const doc = await makeBlock('dag-cbor', { list: [a.cid, b.cid] })
    const local = new MemoryBlocks()
    for (const x of [a, b, doc]) local.put(x.cid, x.bytes)
    const r = await resolvePath(doc.cid, ['list', '1'], (c) => local.get(c))
    expect(r.terminal.cid.equals(b.cid)).toBe(true)
    for (const bad of ['01', '2', '-1', 'x']) await expect(resolvePath(doc.cid, ['list', bad], (c) => local.get(c))).rejects.toMatchObject({ code: 'E_DAG_PATH_NOT_FOUND' })
  })

  it('paths UnixFS directories by entry name and refuses to path into files and raw blocks', async () => {
    const root = await fixtureRoot('path_gateway_dag/dag-pb.car')
    const r = await resolvePath(root, ['foo', 'bar.txt'], load)
    expect(r.blocks).toHaveLength(3)
    expect(r.terminal.cid.equals(await exporterCid(store, root, ['foo', 'bar.txt']))).toBe(true)
    const mixed = await fixtureRoot('trustless_gateway_car/subdir-with-mixed-block-files.car')
    await expect(resolvePath(mixed, ['subdir', 'multiblock.txt', 'x'], load)).rejects.toMatchObject({ code: 'E_DAG_PATH_NOT_FOUND' })
    await expect(resolvePath(mixed, ['subdir', 'ascii.txt', 'x'], load)).rejects.toMatchObject({ code: 'E_DAG_PATH_NOT_FOUND' })
  })

  it('finds a name that is not in a HAMT missing, and lists only entries (not shards) as roots', async () => {
    const hamt = await fixtureRoot('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    await expect(resolvePath(hamt, ['no-such-entry.txt'], load)).rejects.toMatchObject({ code: 'E_DAG_PATH_NOT_FOUND' })
    const r = await resolvePath(hamt, ['685.txt'], load)
    expect(r.blocks.length).toBeGreaterThan(2)
    expect(ids(r.roots)).toEqual(ids([hamt, await exporterCid(store, hamt, ['685.txt'])]))
  })

  it('finds every one of the 1000 HAMT entries by hash', async () => {
    const hamt = await fixtureRoot('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    for (let i = 1; i <= 1000; i += 37) expect((await resolvePath(hamt, [`${i}.txt`], load)).terminal.bytes.length).toBeGreaterThan(0)
  })

  it('answers E_DAG_BLOCK_NOT_FOUND with the CID of a missing root or path block', async () => {
    const local = store.clone()
    const root = await fixtureRoot('trustless_gateway_car/subdir-with-two-single-block-files.car')
    const subdir = await exporterCid(store, root, ['subdir'])
    local.delete(subdir)
    await expect(resolvePath(root, ['subdir', 'ascii.txt'], (c) => local.get(c))).rejects.toMatchObject({ code: 'E_DAG_BLOCK_NOT_FOUND', cid: subdir })
    const absent = (await makeBlock('raw', new TextEncoder().encode('not stored anywhere'))).cid
    await expect(resolvePath(absent, [], (c) => local.get(c))).rejects.toMatchObject({ code: 'E_DAG_BLOCK_NOT_FOUND' })
  })

  it('paths through an identity-hashed directory without emitting it', async () => {
    const root = await fixtureRoot('gateway-raw-block.car')
    const dir = await exporterCid(store, root, ['dir'])
    const bytes = dagPb.encode(dagPb.prepare({ Data: unixfsData([[1, [1]]]), Links: [{ Name: 'dir', Hash: dir }] }))
    const inline = CID.createV1(0x70, identity.digest(bytes))
    const blocks = await collect(traverseDag(store, { root: inline, path: ['dir', 'ascii.txt'] }))
    expect(ids(blocks.map((b) => b.cid))).toEqual(ids([dir, await exporterCid(store, root, ['dir', 'ascii.txt'])]))
  })

  it('rejects HAMT shards with another hash type or a bad fanout with E_DAG_HAMT_INVALID', async () => {
    const leaf = await makeBlock('raw', new Uint8Array([7]))
    for (const fields of [
      [[1, [5]], [5, [0x23]], [6, [256]]],
      [[1, [5]], [5, [0x22]], [6, [100]]],
      [[1, [5]], [5, [0x22]], [6, [4096]]],
    ] as [number, number[]][][]) {
      const shard = await makeBlock('dag-pb', { Data: unixfsData(fields), Links: [{ Name: `00x`, Hash: leaf.cid }] })
      const local = new MemoryBlocks()
      local.put(shard.cid, shard.bytes)
      await expect(resolvePath(shard.cid, ['x'], (c) => local.get(c))).rejects.toMatchObject({ code: 'E_DAG_HAMT_INVALID' })
    }
  })
})
