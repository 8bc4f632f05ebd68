/**
 * The block lists of every case in gateway-conformance's trustless CAR tests (tests/trustless_gateway_car_test.go
 * @22c76440), walked over the merged fixtures. Expected lists come from independent references: the blocks
 * ipfs-unixfs-exporter reads to resolve a path (as the suite records boxo's reads), a plain dag-pb DFS for
 * descendants, and the CIDs the suite spells out.
 */
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { beforeAll, describe, expect, it } from 'vitest'
import { traverseDag, type DagRequest } from '../../../src/store/dag/index.ts'
import { allFixtures, collect, descendants, exporterCid, exporterPathReads, fixtureRoot, type MemoryBlocks } from './fixtures.ts'

let store: MemoryBlocks
const roots: Record<string, CID> = {}
const F = {
  two: 'trustless_gateway_car/subdir-with-two-single-block-files.car',
  hamt: 'trustless_gateway_car/single-layer-hamt-with-multi-block-files.car',
  cborDir: 'trustless_gateway_car/dir-with-dag-cbor-with-links.car',
  mixed: 'trustless_gateway_car/subdir-with-mixed-block-files.car',
  missing: 'trustless_gateway_car/file-3k-and-3-blocks-missing-block.car',
  dupDir: 'trustless_gateway_car/dir-with-duplicate-files.car',
}

beforeAll(async () => {
  store = await allFixtures()
  for (const [k, f] of Object.entries(F)) roots[k] = await fixtureRoot(f)
})

const walk = async (request: DagRequest) => (await collect(traverseDag(store, request))).map((b) => b.cid.toString())
const cidOf = (fixture: keyof typeof F, ...path: string[]) => exporterCid(store, roots[fixture], path)
const pathReads = (fixture: keyof typeof F, ...path: string[]) => exporterPathReads(store, roots[fixture], path)

/** The HAMT's shard nodes below its root, depth-first in link order (links named only by a 2-hex-digit bucket). */
async function hamtShards(root: CID): Promise<string[]> {
  const out: string[] = []
  const visit = async (c: CID) => {
    for (const l of dagPb.decode((await store.get(c))!).Links) {
      if (l.Name?.length !== 2) continue
      out.push(l.Hash.toString())
      await visit(CID.asCID(l.Hash)!)
    }
  }
  await visit(root)
  return out
}

describe('TestTrustlessCarPathing', () => {
  it('carries the path blocks then the whole file under a UnixFS path', async () => {
    const ascii = await cidOf('two', 'subdir', 'ascii.txt')
    expect(await walk({ root: roots.two, path: ['subdir', 'ascii.txt'] })).toEqual([
      ...(await pathReads('two', 'subdir', 'ascii.txt')),
      ...(await descendants(store, ascii)),
    ])
    expect(await walk({ root: roots.two, path: ['subdir', 'ascii.txt'] })).toHaveLength(3)
  })

  it('carries only the HAMT shards on the hash path of a sharded directory entry', async () => {
    const file = await cidOf('hamt', '685.txt')
    const reads = await pathReads('hamt', '685.txt')
    expect(reads.length).toBeGreaterThan(2)
    expect(await walk({ root: roots.hamt, path: ['685.txt'] })).toEqual([...reads, ...(await descendants(store, file))])
  })

  it('resolves a path through a DAG-CBOR root to the linked block', async () => {
    const doc = await cidOf('cborDir', 'document')
    const single = await exporterCid(store, doc, ['files', 'single'])
    expect(await walk({ root: doc, path: ['files', 'single'] })).toEqual([doc.toString(), single.toString()])
  })

  it('fails with E_DAG_PATH_NOT_FOUND for a missing path segment', async () => {
    await expect(walk({ root: roots.two, path: ['subdir', 'i-do-not-exist'] })).rejects.toMatchObject({ code: 'E_DAG_PATH_NOT_FOUND' })
  })
})

describe('TestTrustlessCarDagScopeBlock', () => {
  it('carries the path blocks and the terminal directory block only', async () => {
    expect(await walk({ root: roots.two, path: ['subdir'], scope: 'block' })).toEqual(await pathReads('two', 'subdir'))
  })

  it('carries the path blocks and the terminal file root only', async () => {
    expect(await walk({ root: roots.two, path: ['subdir', 'ascii.txt'], scope: 'block' })).toEqual(await pathReads('two', 'subdir', 'ascii.txt'))
  })

  it('carries the HAMT hash path and the entry root only', async () => {
    expect(await walk({ root: roots.hamt, path: ['1.txt'], scope: 'block' })).toEqual(await pathReads('hamt', '1.txt'))
  })
})

describe('TestTrustlessCarDagScopeEntity', () => {
  it('carries a UnixFS directory block without its entries', async () => {
    expect(await walk({ root: roots.two, scope: 'entity' })).toEqual([roots.two.toString()])
  })

  it('carries a sharded directory root and every shard node, not the entries', async () => {
    const got = await walk({ root: roots.hamt, scope: 'entity' })
    expect(got).toEqual([roots.hamt.toString(), ...(await hamtShards(roots.hamt))])
    expect(got).toHaveLength(237)
  })

  it('carries every block of a single-block file at the end of a path', async () => {
    const ascii = await cidOf('mixed', 'subdir', 'ascii.txt')
    expect(await walk({ root: roots.mixed, path: ['subdir', 'ascii.txt'], scope: 'entity' })).toEqual([
      ...(await pathReads('mixed', 'subdir', 'ascii.txt')),
      ...(await descendants(store, ascii)),
    ])
  })

  it('carries every block of a chunked file at the end of a path', async () => {
    const file = await cidOf('mixed', 'subdir', 'multiblock.txt')
    const got = await walk({ root: roots.mixed, path: ['subdir', 'multiblock.txt'], scope: 'entity' })
    expect(got).toEqual([...(await pathReads('mixed', 'subdir', 'multiblock.txt')), ...(await descendants(store, file))])
    expect(got).toHaveLength(3 + 5)
  })

  it('carries a DAG-CBOR document without the blocks it links to', async () => {
    expect(await walk({ root: roots.cborDir, path: ['document'], scope: 'entity' })).toEqual(await pathReads('cborDir', 'document'))
  })
})

describe('TestTrustlessCarDagScopeAll', () => {
  it('carries a directory and everything under it', async () => {
    const subdir = await cidOf('mixed', 'subdir')
    expect(await walk({ root: roots.mixed, path: ['subdir'], scope: 'all' })).toEqual([
      ...(await pathReads('mixed', 'subdir')),
      ...(await descendants(store, subdir)),
    ])
  })

  it('carries a chunked file and all its chunks', async () => {
    const file = await cidOf('mixed', 'subdir', 'multiblock.txt')
    expect(await walk({ root: roots.mixed, path: ['subdir', 'multiblock.txt'], scope: 'all' })).toEqual([
      ...(await pathReads('mixed', 'subdir', 'multiblock.txt')),
      ...(await descendants(store, file)),
    ])
  })
})

describe('TestTrustlessCarEntityBytes', () => {
  // multiblock.txt: 1026 bytes in chunks of 256, 256, 256, 256, 2.
  let file: CID
  let chunks: string[]
  beforeAll(async () => {
    file = await cidOf('mixed', 'subdir', 'multiblock.txt')
    chunks = await descendants(store, file)
  })
  const bytes = (from: number, to: number | '*') => walk({ root: file, scope: 'entity', entityBytes: { from, to } })

  it('serves 0:1000 although the block after the range is missing', async () => {
    expect(new Set(await walk({ root: roots.missing, scope: 'entity', entityBytes: { from: 0, to: 1000 } }))).toEqual(
      new Set([roots.missing.toString(), 'QmPKt7ptM2ZYSGPUc8PmPT2VBkLDK3iqpG9TBJY7PCE9rF']),
    )
  })

  it('serves 2200:* although the block before the range is missing', async () => {
    expect(new Set(await walk({ root: roots.missing, scope: 'entity', entityBytes: { from: 2200, to: '*' } }))).toEqual(
      new Set([roots.missing.toString(), 'QmWXY482zQdwecnfBsj78poUUuPXvyw2JAFAEMw4tzTavV']),
    )
  })

  it('fails on the missing middle block when the range needs it', async () => {
    await expect(walk({ root: roots.missing, scope: 'entity', entityBytes: { from: 1000, to: 1100 } })).rejects.toMatchObject({
      code: 'E_DAG_BLOCK_NOT_FOUND',
      cid: CID.parse('QmSNLTo6Wv9dfroVaw7MFYjLqf9ho7PKrgsjdzYDtv8h1W'),
    })
  })

  it('serves 0:* as the whole file at the end of a path', async () => {
    expect(await walk({ root: roots.mixed, path: ['subdir', 'multiblock.txt'], scope: 'entity', entityBytes: { from: 0, to: '*' } })).toEqual([
      ...(await pathReads('mixed', 'subdir', 'multiblock.txt')),
      ...chunks,
    ])
  })

  it('ignores the range for a directory (sharded directory entity)', async () => {
    expect(await walk({ root: roots.hamt, scope: 'entity', entityBytes: { from: 0, to: '*' } })).toEqual(await walk({ root: roots.hamt, scope: 'entity' }))
    expect(await walk({ root: roots.hamt, scope: 'entity', entityBytes: { from: 10, to: 20 } })).toEqual(await walk({ root: roots.hamt, scope: 'entity' }))
  })

  it.each([
    ['512:*', 512, '*', [2, 5]],
    ['512:1023', 512, 1023, [2, 4]],
    ['512:-256', 512, -256, [2, 4]],
    ['-5:*', -5, '*', [3, 5]],
    ['-9999:*', -9999, '*', [0, 5]],
    ['-9999:-3', -9999, -3, [0, 4]],
    ['0:0', 0, 0, [0, 1]],
  ] as const)('serves %s with the minimal chunks', async (_label, from, to, [a, b]) => {
    expect(await bytes(from, to)).toEqual([file.toString(), ...chunks.slice(a, b)])
  })

  it('serves a range past the end or empty as dag-scope=block', async () => {
    expect(await bytes(2000, '*')).toEqual([file.toString()])
    expect(await bytes(0, -2000)).toEqual([file.toString()])
  })

  it('takes entity-bytes as dag-scope=entity when no scope is given, and ignores it for scope all', async () => {
    expect(await walk({ root: file, entityBytes: { from: 512, to: 1023 } })).toEqual(await bytes(512, 1023))
    expect(await walk({ root: file, scope: 'all', entityBytes: { from: 512, to: 1023 } })).toEqual([file.toString(), ...chunks])
  })
})

describe('TestTrustlessCarOrderAndDuplicates', () => {
  const leaves = [
    'bafkreie5noke3mb7hqxukzcy73nl23k6lxszxi5w3dtmuwz62wnvkpsscm',
    'bafkreih4ephajybraj6wnxsbwjwa77fukurtpl7oj7t7pfq545duhot7cq',
    'bafkreigu7buvm3cfunb35766dn7tmqyh2um62zcio63en2btvxuybgcpue',
    'bafkreicll3huefkc3qnrzeony7zcfo7cr3nbx64hnxrqzsixpceg332fhe',
    'bafkreifst3pqztuvj57lycamoi7z34b4emf7gawxs74nwrc2c7jncmpaqm',
  ]

  it('re-sends a duplicate file with dups=y', async () => {
    const ascii = (await cidOf('dupDir', 'ascii.txt')).toString()
    expect(ascii).toBe((await cidOf('dupDir', 'ascii-copy.txt')).toString())
    expect(await walk({ root: roots.dupDir, dups: true })).toEqual([
      roots.dupDir.toString(),
      ascii,
      ascii,
      (await cidOf('dupDir', 'hello.txt')).toString(),
      (await cidOf('dupDir', 'multiblock.txt')).toString(),
      ...leaves,
    ])
  })

  it('sends each block once with dups=n', async () => {
    expect(await walk({ root: roots.dupDir, dups: false })).toEqual([
      roots.dupDir.toString(),
      (await cidOf('dupDir', 'ascii.txt')).toString(),
      (await cidOf('dupDir', 'hello.txt')).toString(),
      (await cidOf('dupDir', 'multiblock.txt')).toString(),
      ...leaves,
    ])
  })

  it('never emits identity blocks, even with dups=y', async () => {
    expect(await walk({ root: CID.parse('bafkqaf3imvwgy3zaneqgc3janfxgy2lomvscay3jmqfa'), dups: true })).toEqual([])
    expect(await walk({ root: CID.parse('bafkqaaa'), dups: true })).toEqual([])
  })

  it('re-walks every HAMT entry with dups=y and walks shared subtrees once with dups=n', async () => {
    expect(await walk({ root: roots.hamt, dups: true })).toHaveLength(237 + 1000 * 6)
    const once = await walk({ root: roots.hamt })
    expect(once).toHaveLength(243)
    expect(new Set(once).size).toBe(243)
  })
})
