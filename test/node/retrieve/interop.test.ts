/**
 * Interop with the reference tools: what petal retrieves and exports must match what they produce. The CAR
 * export is byte for byte the gateway's own `dag-scope=all` response and `ipfs-car unpack` turns it back into
 * the original bytes; directories (plain and HAMT-sharded, from the gateway-conformance fixtures) are written
 * out exactly as ipfs-unixfs-exporter reads them.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { CarBlockIterator } from '@ipld/car'
import { exporter } from 'ipfs-unixfs-exporter'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { retrieve } from '../../../src/node/retrieve/index.ts'
import { allFixtures, fixtureRoot, MemoryBlocks } from '../../store/dag/fixtures.ts'
import { addFile, addTree, readTree, serveGateway, testBytes, treeDigest, type TestServer, type Tree } from './helpers.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const IPFS_CAR = join(ROOT, 'node_modules/ipfs-car/bin.js')

let tmp: string
let store: MemoryBlocks
let gw: TestServer
const FILE = testBytes(3 * 1024 * 1024 + 999, 31)
const TREE = { 'readme.md': testBytes(1000, 32), nested: { 'data.bin': testBytes(1_200_000, 33), 'tiny.txt': testBytes(3, 34) } }
let fileRoot: CID
let treeRoot: CID

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'petal-retrieve-interop-'))
  store = (await allFixtures()).clone()
  fileRoot = await addFile(store, FILE, 256 * 1024, 174)
  treeRoot = await addTree(store, TREE)
  gw = serveGateway(store)
})

afterAll(() => {
  gw?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

/** The test blocks as ipfs-unixfs-exporter's blockstore (its `get` yields the bytes). */
function exporterStore(): never {
  return { get: (c: CID) => (async function* () { yield (await store.get(c))! })() } as never
}

/** What ipfs-unixfs-exporter reads at `root`, as a Tree (directories through its own `entries()`). */
async function referenceTree(root: CID | string): Promise<Tree> {
  const node = (await exporter(root, exporterStore())) as unknown as {
    type: string
    entries(): AsyncIterable<{ name: string; cid: CID }>
    content(): AsyncIterable<Uint8Array>
  }
  if (node.type === 'directory') {
    const out: { [name: string]: Tree } = {}
    for await (const entry of node.entries()) out[entry.name] = await referenceTree(entry.cid)
    return out
  }
  const parts: Uint8Array[] = []
  for await (const c of node.content()) parts.push(c)
  return new Uint8Array(Buffer.concat(parts))
}

describe('interop with the reference tools', () => {
  it('exports a CAR byte for byte the same as the gateway\'s dag-scope=all response, and ipfs-car unpacks it to the file', async () => {
    const car = join(tmp, 'file.car')
    await retrieve({ root: fileRoot, provider: gw.url }, { dir: join(tmp, 'repo'), target: { path: car, car: true } })
    const direct = new Uint8Array(await (await fetch(`${gw.url}/ipfs/${fileRoot}?format=car&dag-scope=all`, { headers: { accept: 'application/vnd.ipld.car;version=1;order=dfs;dups=n' } })).arrayBuffer())
    expect(Buffer.from(readFileSync(car)).equals(Buffer.from(direct))).toBe(true)
    const out = join(tmp, 'file.unpacked')
    await run('node', [IPFS_CAR, 'unpack', car, '--output', out], { cwd: ROOT })
    expect(readFileSync(out).equals(Buffer.from(FILE))).toBe(true)
  }, 30_000)

  it('exports a directory CAR that ipfs-car unpacks to the same tree', async () => {
    const car = join(tmp, 'tree.car')
    await retrieve({ root: treeRoot, provider: gw.url }, { dir: join(tmp, 'repo'), target: { path: car, car: true } })
    const out = join(tmp, 'tree.unpacked')
    await run('node', [IPFS_CAR, 'unpack', car, '--output', out], { cwd: ROOT })
    expect(treeDigest(readTree(out))).toEqual(treeDigest(TREE))
  }, 30_000)

  it('exports the CAR of a path as a self-contained DAG rooted at the path\'s end', async () => {
    const car = join(tmp, 'sub.car')
    const res = await retrieve({ root: treeRoot, path: ['nested', 'data.bin'], provider: gw.url }, { dir: join(tmp, 'repo'), target: { path: car, car: true } })
    const out = join(tmp, 'sub.unpacked')
    await run('node', [IPFS_CAR, 'unpack', car, '--output', out], { cwd: ROOT })
    expect(readFileSync(out).equals(Buffer.from(TREE.nested['data.bin']))).toBe(true)
    const roots = (await (await CarBlockIterator.fromBytes(readFileSync(car))).getRoots()).map(String)
    expect(roots).toEqual([res.terminal.toString()])
    expect(res.terminal.toString()).not.toBe(res.record.root)
  }, 30_000)

  for (const fixture of ['subdir-with-mixed-block-files.car', 'single-layer-hamt-with-multi-block-files.car', 'dir-with-duplicate-files.car']) {
    it(`writes ${fixture} out as ipfs-unixfs-exporter reads it`, async () => {
      const root = await fixtureRoot(`trustless_gateway_car/${fixture}`)
      const out = join(tmp, `${fixture}.out`)
      await retrieve({ root, provider: gw.url }, { dir: join(tmp, 'repo'), target: { path: out, car: false } })
      expect(treeDigest(readTree(out))).toEqual(treeDigest(await referenceTree(root)))
    })
  }

  it('writes a file behind a HAMT path out as ipfs-unixfs-exporter reads it', async () => {
    const root = await fixtureRoot('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    const out = join(tmp, 'hamt-entry.out')
    await retrieve({ root, path: ['685.txt'], provider: gw.url }, { dir: join(tmp, 'repo'), target: { path: out, car: false } })
    const entry = (await exporter(`${root}/685.txt`, exporterStore())) as unknown as { content(): AsyncIterable<Uint8Array> }
    const parts: Uint8Array[] = []
    for await (const p of entry.content()) parts.push(p)
    expect(readFileSync(out).equals(Buffer.concat(parts))).toBe(true)
  })
})
