/**
 * Retrieval from a real trustless gateway on 127.0.0.1 into a ReadWrite CARv2, then export: files and
 * directories come back byte for byte, the repo CAR is a finalized CARv2 holding exactly the DAG, and a
 * second run of a finished retrieval asks the provider for nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openReadOnly } from '../../../src/store/blockstore/index.ts'
import { traverseDag } from '../../../src/store/dag/index.ts'
import { getRecord, listRecords, retrievalId, retrieve, type RetrieveProgress } from '../../../src/node/retrieve/index.ts'
import { MemoryBlocks } from '../../store/dag/fixtures.ts'
import { addFile, addTree, readTree, serveGateway, treeDigest, testBytes, type TestServer } from './helpers.ts'

let tmp: string
let store: MemoryBlocks
let gw: TestServer
const FILE = testBytes(1_500_000 + 321, 7)
const TREE = { 'a.txt': testBytes(10, 1), docs: { 'big.bin': testBytes(700_000, 2), 'empty.txt': new Uint8Array(0), deeper: { 'x.bin': testBytes(3000, 3) } } }
let fileRoot: Awaited<ReturnType<typeof addFile>>
let treeRoot: Awaited<ReturnType<typeof addTree>>

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'petal-retrieve-'))
  store = new MemoryBlocks()
  fileRoot = await addFile(store, FILE)
  treeRoot = await addTree(store, TREE)
  gw = serveGateway(store)
})

afterAll(() => {
  gw?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

describe('retrieve', () => {
  it('retrieves a multi-block file, writes its bytes out, and keeps a finalized CARv2 holding exactly its DAG', async () => {
    const dir = join(tmp, 'r1')
    const out = join(tmp, 'file.out')
    const seen: RetrieveProgress[] = []
    const res = await retrieve({ root: fileRoot, provider: gw.url }, { dir, target: { path: out, car: false }, onProgress: (p) => seen.push({ ...p }) })
    expect(readFileSync(out).equals(Buffer.from(FILE))).toBe(true)
    expect(res.resumed).toBe(false)
    expect(res.requests).toBe(1)
    expect(res.record.status).toBe('complete')
    expect(res.terminal.equals(fileRoot)).toBe(true)
    expect(seen.at(-1)?.total).toBe(FILE.length)
    const expected: string[] = []
    for await (const b of traverseDag(store, { root: fileRoot, dups: false })) expected.push(b.cid.toString())
    expect(res.fetchedBlocks).toBe(expected.length)
    const car = await openReadOnly(res.record.carPath)
    try {
      expect((await car.roots()).map(String)).toEqual([fileRoot.toString()])
      const held: string[] = []
      for await (const c of car.cids()) held.push(c.toString())
      expect(held).toEqual(expected)
    } finally {
      await car.close()
    }
    expect(getRecord(dir, res.record.id)).toEqual(res.record)
    expect(listRecords(dir).map((r) => r.id)).toEqual([retrievalId({ root: fileRoot, provider: gw.url })])
  })

  it('writes a directory tree out as files and folders, empty files included', async () => {
    const out = join(tmp, 'tree.out')
    await retrieve({ root: treeRoot, provider: `${gw.url}/` }, { dir: join(tmp, 'r2'), target: { path: out, car: false } })
    expect(treeDigest(readTree(out))).toEqual(treeDigest(TREE))
  })

  it('retrieves only the sub-DAG a path names, and exports a file inside a directory', async () => {
    const out = join(tmp, 'sub.out')
    const before = gw.requests.length
    const res = await retrieve({ root: treeRoot, path: ['docs', 'big.bin'], provider: gw.url }, { dir: join(tmp, 'r3'), target: { path: out, car: false } })
    expect(readFileSync(out).equals(Buffer.from(TREE.docs['big.bin']))).toBe(true)
    expect(gw.requests.slice(before)).toEqual([`/ipfs/${treeRoot}/docs/big.bin?format=car&dag-scope=all`])
    expect(res.record.path).toBe('docs/big.bin')
  })

  it('runs a finished retrieval again without asking the provider for anything, and exports again', async () => {
    const dir = join(tmp, 'r4')
    await retrieve({ root: fileRoot, provider: gw.url }, { dir })
    const before = gw.requests.length
    const again = await retrieve({ root: fileRoot, provider: gw.url }, { dir, target: { path: join(tmp, 'again.out'), car: false } })
    expect(gw.requests.length).toBe(before)
    expect(again.requests).toBe(0)
    expect(again.resumed).toBe(true)
    expect(readFileSync(join(tmp, 'again.out')).equals(Buffer.from(FILE))).toBe(true)
  })

  it('refuses to overwrite an existing output and leaves it untouched', async () => {
    const out = join(tmp, 'file.out')
    await expect(retrieve({ root: fileRoot, provider: gw.url }, { dir: join(tmp, 'r1'), target: { path: out, car: false } })).rejects.toMatchObject({ code: 'E_RETRIEVE_OUTPUT_EXISTS' })
    expect(readFileSync(out).equals(Buffer.from(FILE))).toBe(true)
  })

  it('rejects provider URLs that are not plain http(s) base URLs', async () => {
    for (const provider of ['ftp://x', 'not a url', 'http://u:p@127.0.0.1', 'http://127.0.0.1/?q=1']) {
      await expect(retrieve({ root: fileRoot, provider }, { dir: join(tmp, 'r5') })).rejects.toMatchObject({ code: 'E_RETRIEVE_PROVIDER_URL' })
    }
  })

  it('gives a stable id for the same root, path and provider, whatever the spelling of the URL', () => {
    const a = retrievalId({ root: fileRoot, provider: 'http://127.0.0.1:1/' })
    expect(retrievalId({ root: fileRoot, provider: 'http://127.0.0.1:1' })).toBe(a)
    expect(retrievalId({ root: fileRoot, provider: 'http://127.0.0.1:2' })).not.toBe(a)
    expect(retrievalId({ root: fileRoot, path: ['x'], provider: 'http://127.0.0.1:1' })).not.toBe(a)
  })
})
