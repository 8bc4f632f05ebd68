/**
 * The retrieval RPC on a real node (Filecoin.ClientRetrieve, ClientRetrieveWithEvents, ClientListRetrievals)
 * and `petal client retrieve`, both through the running node and in-process when no node runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCommand } from 'citty'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import retrieveCommand, { parseRootPath } from '../../../src/node/cli/client/retrieve.ts'
import { ApiClient } from '../../../src/node/client/index.ts'
import { startNode, type RunningNode } from '../../../src/node/node.ts'
import { initRepo } from '../../../src/node/repo/repo.ts'
import type { RetrievalEvent, RetrievalInfo, RetrievalRecordJson } from '../../../src/node/retrieve/index.ts'
import { MemoryBlocks } from '../../store/dag/fixtures.ts'
import { addFile, addTree, readTree, serveBadProvider, serveGateway, testBytes, treeDigest, type TestServer } from './helpers.ts'

let tmp: string
let gw: TestServer
let bad: TestServer
let node: RunningNode
let api: ApiClient
let fileRoot: CID
let treeRoot: CID
const FILE = testBytes(900_000, 21)
const TREE = { 'one.txt': testBytes(100, 22), sub: { 'two.bin': testBytes(300_000, 23) } }

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'petal-retrieve-node-'))
  const store = new MemoryBlocks()
  fileRoot = await addFile(store, FILE)
  treeRoot = await addTree(store, TREE)
  gw = serveGateway(store)
  bad = serveBadProvider(gw.url, () => ({ kind: 'flip', at: 2 }))
  initRepo(join(tmp, 'node'))
  node = await startNode({ root: join(tmp, 'node'), listen: '127.0.0.1:0', logWrite: () => {} })
  api = new ApiClient({ url: node.url, multiaddr: node.multiaddr, token: readFileSync(join(tmp, 'node', 'token'), 'utf8').trim() })
  initRepo(join(tmp, 'idle'))
})

afterAll(async () => {
  await node?.stop()
  gw?.stop()
  bad?.stop()
  rmSync(tmp, { recursive: true, force: true })
})

/** Runs `petal client retrieve …` in this process and returns what it printed on stdout. */
async function cli(args: string[]): Promise<string> {
  const out: string[] = []
  const write = process.stdout.write
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk))
    return true
  }) as typeof process.stdout.write
  try {
    await runCommand(retrieveCommand, { rawArgs: args })
  } finally {
    process.stdout.write = write
  }
  return out.join('')
}

describe('the retrieval RPC', () => {
  it('retrieves into the repo and exports to the FileRef, answering in Lotus style', async () => {
    const out = join(tmp, 'rpc-file.bin')
    const info = await api.call<RetrievalInfo>('Filecoin.ClientRetrieve', [{ Root: { '/': fileRoot.toString() }, Provider: gw.url }, { Path: out, IsCAR: false }])
    expect(readFileSync(out).equals(Buffer.from(FILE))).toBe(true)
    expect(info.Status).toBe('complete')
    expect(info.CarPath.startsWith(join(tmp, 'node', 'retrievals'))).toBe(true)
    expect(info.Exported).toEqual({ Path: out, IsCAR: false, Bytes: FILE.length })
    const list = await api.call<RetrievalRecordJson[]>('Filecoin.ClientListRetrievals')
    expect(list.map((r) => r.ID)).toContain(info.ID)
  })

  it('streams progress and a final complete event', async () => {
    const events: RetrievalEvent[] = []
    for await (const e of api.stream<RetrievalEvent>('Filecoin.ClientRetrieveWithEvents', [{ Root: treeRoot.toString(), Path: 'sub/two.bin', Provider: gw.url }, null])) events.push(e)
    const last = events.at(-1)!
    expect(last.Event).toBe('complete')
    if (last.Event === 'complete') expect(last.Result.Path).toBe('sub/two.bin')
    expect(events.some((e) => e.Event === 'progress')).toBe(true)
  })

  it('passes a bad block on as its stable code', async () => {
    await expect(api.call('Filecoin.ClientRetrieve', [{ Root: fileRoot.toString(), Provider: bad.url }, null])).rejects.toMatchObject({ code: 'E_DAG_HASH_MISMATCH' })
    const events: RetrievalEvent[] = []
    for await (const e of api.stream<RetrievalEvent>('Filecoin.ClientRetrieveWithEvents', [{ Root: fileRoot.toString(), Provider: bad.url }, null])) events.push(e)
    expect(events.at(-1)).toMatchObject({ Event: 'error', Code: 'E_DAG_HASH_MISMATCH' })
    const list = await api.call<RetrievalRecordJson[]>('Filecoin.ClientListRetrievals')
    expect(list.find((r) => r.Provider === bad.url)).toMatchObject({ Status: 'failed', ErrorCode: 'E_DAG_HASH_MISMATCH' })
  })

  it('refuses a relative FileRef path', async () => {
    await expect(api.call('Filecoin.ClientRetrieve', [{ Root: fileRoot.toString(), Provider: gw.url }, { Path: 'rel.bin' }])).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' })
  })
})

describe('petal client retrieve', () => {
  it('goes through the running node and writes a directory out', async () => {
    const out = join(tmp, 'cli-tree')
    const printed = await cli([treeRoot.toString(), '--provider', gw.url, '--out', out, '--repo', join(tmp, 'node'), '--json'])
    expect(JSON.parse(printed)).toMatchObject({ Status: 'complete', Via: 'node', Exported: { Path: out, IsCAR: false } })
    expect(treeDigest(readTree(out))).toEqual(treeDigest(TREE))
  })

  it('runs in-process over the repo when no node runs, and the text output names the stored CAR', async () => {
    const out = join(tmp, 'cli-file.car')
    const printed = await cli([`/ipfs/${fileRoot}`, '--provider', gw.url, '--car', out, '--repo', join(tmp, 'idle')])
    expect(printed).toContain(`Retrieved ${fileRoot} from ${gw.url}`)
    expect(printed).toContain(`Stored in ${join(tmp, 'idle', 'retrievals')}`)
    expect(printed).toContain(`Exported CAR to ${out}`)
    const again = await cli([fileRoot.toString(), '--provider', gw.url, '--repo', join(tmp, 'idle'), '--json'])
    expect(JSON.parse(again)).toMatchObject({ Via: 'local', Requests: 0, Resumed: true })
  })

  it('fails with the stable code of a bad block, in-process too', async () => {
    await expect(cli([fileRoot.toString(), '--provider', bad.url, '--repo', join(tmp, 'idle')])).rejects.toMatchObject({ code: 'E_DAG_HASH_MISMATCH' })
  })

  it('parses a root with a path in the forms users paste', () => {
    for (const text of [`${treeRoot}/sub/two.bin`, `/ipfs/${treeRoot}/sub/two.bin`, `ipfs://${treeRoot}/sub/two.bin/`]) {
      const { root, path } = parseRootPath(text)
      expect(root.equals(treeRoot)).toBe(true)
      expect(path).toEqual(['sub', 'two.bin'])
    }
    expect(() => parseRootPath('nope/x')).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }))
  })

  it('refuses --out together with --car', async () => {
    await expect(cli([fileRoot.toString(), '--provider', gw.url, '--out', 'a', '--car', 'b', '--repo', join(tmp, 'idle')])).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' })
  })
})
