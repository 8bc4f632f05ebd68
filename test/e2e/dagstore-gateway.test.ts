/**
 * The dagstore and HTTP retrieval in the single binary: every gateway-conformance fixture CAR registered as
 * a shard over JSON-RPC (keyed by its piece CID from ClientCalcCommP), then fetched back through the
 * trustless gateway (/ipfs, checked block by block by verifyDag) and /piece (the file zero-padded to its
 * piece size), with `petal dagstore` list-shards, lookup-pieces and export-index against the CAR layer.
 */
import { CarBlockIterator, CarReader } from '@ipld/car'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeIndex, generateIndex, openFileSource } from '../../src/store/car/index.ts'
import { verifyDag, type Block } from '../../src/store/dag/index.ts'
import { cleanup, cli, startNode, stopNode, tempDir, type TestNode } from './harness.ts'

const GATEWAY = join(import.meta.dirname, '../fixtures/gateway')
const MISSING = 'file-3k-and-3-blocks-missing-block.car'

interface Shard {
  name: string
  path: string
  key: string
  roots: CID[]
  blocks: Map<string, Uint8Array>
}

function unpaddedPieceSize(n: number): number {
  let padded = 128
  while (padded - padded / 128 < n) padded *= 2
  return padded - padded / 128
}

describe('dagstore and gateway in the single binary', () => {
  let dir: string
  let node: TestNode
  const shards: Shard[] = []

  beforeAll(async () => {
    dir = tempDir()
    const repo = join(dir, 'repo')
    expect(cli(['init', '--repo', repo]).code).toBe(0)
    node = await startNode(repo)
    const files = readdirSync(GATEWAY, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.car'))
    for (const f of files) {
      const path = join(f.parentPath, f.name)
      const commp = await node.rpc('Filecoin.ClientCalcCommP', [path])
      const key = commp.result.Root['/'] as string
      if (shards.some((s) => s.key === key)) continue
      const reader = await CarReader.fromBytes(readFileSync(path))
      const blocks = new Map<string, Uint8Array>()
      for await (const b of reader.blocks()) blocks.set(b.cid.toString(), b.bytes)
      shards.push({ name: f.name, path, key, roots: await reader.getRoots(), blocks })
    }
    for (const s of shards) expect((await node.rpc('Filecoin.DagstoreRegisterShard', [s.key, s.path])).result).toBeNull()
  }, 120_000)
  afterAll(async () => {
    if (node) await stopNode(node)
    cleanup(dir)
  })

  it('indexes every fixture and lists it as lotus-miner does', () => {
    const out = cli(['dagstore', 'list-shards', '--repo', node.repo])
    expect(out.code).toBe(0)
    const lines = out.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^Key\s+State\s+Error$/)
    for (const s of shards) expect(lines.find((l) => l.startsWith(s.key))).toMatch(new RegExp(`^${s.key}\\s+Available`))
  })

  it('serves each fixture root as a CAR that verifyDag accepts, with the fixture’s bytes', async () => {
    for (const s of shards) {
      if (s.name === MISSING) continue
      for (const root of s.roots) {
        if (!s.blocks.has(root.toString())) continue
        const res = await fetch(`${node.url}/ipfs/${root}?format=car&dag-scope=block`)
        expect(res.status, `${s.name} ${root}`).toBe(200)
        expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.ipld\.car; version=1/)
        const got: Block[] = []
        for await (const b of verifyDag({ root, scope: 'block' }, (await CarBlockIterator.fromIterable(res.body as never)) as AsyncIterable<Block>)) got.push(b)
        expect(got.length).toBeGreaterThan(0)
        for (const b of got) expect(Buffer.from(b.bytes).equals(Buffer.from(s.blocks.get(b.cid.toString())!))).toBe(true)
      }
    }
  })

  it('serves a whole UnixFS DAG across shards and the raw root block', async () => {
    const s = shards.find((x) => x.name === 'subdir-with-mixed-block-files.car')!
    const root = s.roots[0]
    const res = await fetch(`${node.url}/ipfs/${root}?format=car`)
    expect(res.status).toBe(200)
    let count = 0
    for await (const b of verifyDag({ root }, (await CarBlockIterator.fromIterable(res.body as never)) as AsyncIterable<Block>)) {
      expect(s.blocks.has(b.cid.toString())).toBe(true)
      count++
    }
    expect(count).toBe(s.blocks.size)
    const raw = await fetch(`${node.url}/ipfs/${root}?format=raw`)
    expect(raw.headers.get('content-length')).toBe(String(s.blocks.get(root.toString())!.length))
    expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(s.blocks.get(root.toString())!))).toBe(true)
  })

  it('serves each fixture as its piece through /piece, zero-padded, with its length', async () => {
    for (const s of shards) {
      const file = readFileSync(s.path)
      const res = await fetch(`${node.url}/piece/${s.key}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/piece')
      const body = new Uint8Array(await res.arrayBuffer())
      expect(body.length).toBe(unpaddedPieceSize(file.length))
      expect(Buffer.from(body.subarray(0, file.length)).equals(file)).toBe(true)
      expect(body.subarray(file.length).every((b) => b === 0)).toBe(true)
      const part = await fetch(`${node.url}/piece/${s.key}`, { headers: { Range: `bytes=1-${file.length - 2}` } })
      expect(part.status).toBe(206)
      expect(part.headers.get('content-length')).toBe(String(file.length - 2))
    }
  })

  it('looks up the shards holding a block with `petal dagstore lookup-pieces`', () => {
    const s = shards.find((x) => x.name === 'dir-with-duplicate-files.car')!
    const holders = shards.filter((x) => x.blocks.has(s.roots[0].toString())).map((x) => x.key)
    const out = cli(['dagstore', 'lookup-pieces', s.roots[0].toString(), '--repo', node.repo, '--json'])
    expect(out.code).toBe(0)
    expect((JSON.parse(out.stdout) as Array<{ Key: string }>).map((x) => x.Key).sort()).toEqual(holders.sort())
  })

  it('registers a file under its own piece CID with `petal dagstore register-shard --path`, and refuses another key', () => {
    const s = shards[0]
    const derived = cli(['dagstore', 'register-shard', '--path', s.path, '--repo', node.repo])
    expect(derived.code, derived.stderr).toBe(0)
    expect(derived.stdout.trim()).toBe(`Registered shard ${s.key}`)
    const unregistered = 'baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi'
    const wrong = cli(['dagstore', 'register-shard', unregistered, '--path', s.path, '--repo', node.repo])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('E_SHARD_PIECE_MISMATCH')
    expect(cli(['dagstore', 'list-shards', '--repo', node.repo]).stdout).not.toContain(unregistered)
  })

  it('exports a shard index with `petal dagstore export-index` identical to the CAR layer’s go-car index', async () => {
    const s = shards.find((x) => x.name === 'single-layer-hamt-with-multi-block-files.car')!
    const out = join(dir, 'hamt.idx')
    const r = cli(['dagstore', 'export-index', s.key, out, '--repo', node.repo])
    expect(r.code, r.stderr).toBe(0)
    const source = openFileSource(s.path)
    try {
      const { index } = await generateIndex(source)
      expect(Buffer.compare(readFileSync(out), encodeIndex(index, 0x0401))).toBe(0)
    } finally {
      source.close()
    }
    const missing = cli(['dagstore', 'export-index', 'baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi', out, '--repo', node.repo])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('E_SHARD_NOT_FOUND')
  })

  it('answers 404 for a block no shard holds, and a 200 CAR cut short for a DAG with a missing block', async () => {
    const s = shards.find((x) => x.name === MISSING)!
    const whole = fetch(`${node.url}/ipfs/${s.roots[0]}?format=car`).then((res) => res.arrayBuffer())
    await expect(whole).rejects.toThrow()
    expect((await fetch(`${node.url}/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy?format=raw`)).status).toBe(404)
  })
})
