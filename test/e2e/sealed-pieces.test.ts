/**
 * `petal dagstore initialize-all --include-sealed` in the single binary: two CARs sealed into a real 2 KiB
 * sector of the repo's sector storage with no unsealed copy kept, the sector recorded as the sealing
 * pipeline records it, and both pieces registered lazily (as deals register them). Without the flag the
 * shards are skipped; with it the node unseals the sector once, indexes both pieces, and serves their blocks
 * (/ipfs) and their bytes (/piece), read straight out of the unsealed sector.
 */
import { CarBlockIterator } from '@ipld/car'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SectorRecords } from '../../src/node/sectors/index.ts'
import { openSqlite } from '../../src/node/runtime/index.ts'
import { createSectorStore, nodeSectorFs, sectorPaths } from '../../src/proofs/layout/index.ts'
import { chainLocators, createCarScanner, createMountResolver, Dagstore, PieceMount } from '../../src/store/dagstore/index.ts'
import { dealPiece, sealPieces, type DealPiece } from '../node/sectors/sealed-pieces.ts'
import { cleanup, cli, startNode, stopNode, tempDir, type TestNode } from './harness.ts'

describe('initialize-all --include-sealed in the single binary', () => {
  let dir: string
  let repo: string
  let node: TestNode
  let pieces: DealPiece[]
  let unsealed: string

  beforeAll(async () => {
    dir = tempDir()
    repo = join(dir, 'repo')
    expect(cli(['init', '--repo', repo]).code).toBe(0)
    const store = createSectorStore(join(repo, 'sectors'), nodeSectorFs)
    pieces = [await dealPiece('sealed-a'), await dealPiece('sealed-b', 600)]
    const { sealed, input } = await sealPieces(store, 3, pieces)
    unsealed = sectorPaths(store, sealed.sector.id).unsealed
    rmSync(unsealed) // only the replica is kept, as after sealing without an unsealed copy
    const db = openSqlite(join(repo, 'petal.db'))
    new SectorRecords(db).record(input)
    const none = chainLocators([])
    const dagstore = new Dagstore({ db, resolveMount: createMountResolver(none), scan: createCarScanner() })
    for (const p of pieces) await dagstore.register(p.pieceCid, new PieceMount(p.pieceCid, none), { lazy: true })
    dagstore.close()
    db.close()
    node = await startNode(repo)
  })
  afterAll(async () => {
    if (node) await stopNode(node)
    cleanup(dir)
  })

  const states = () => (JSON.parse(cli(['dagstore', 'list-shards', '--repo', repo, '--json']).stdout) as Array<{ Key: string; State: string }>).map((s) => s.State)

  it('skips shards whose piece is only sealed without --include-sealed', () => {
    const r = cli(['dagstore', 'initialize-all', '--concurrency', '2', '--repo', repo, '--json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(states()).toEqual(['ShardStateNew', 'ShardStateNew'])
    expect(existsSync(unsealed)).toBe(false)
  })

  it('unseals, indexes and serves them with --include-sealed', async () => {
    const r = cli(['dagstore', 'initialize-all', '--concurrency', '2', '--include-sealed', '--repo', repo, '--json'])
    expect(r.code).toBe(0)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(events.filter((e) => e.Event === 'end').map((e) => [e.Key, e.Success, e.Error]).sort()).toEqual(pieces.map((p) => [p.pieceCid, true, '']).sort())
    expect(states()).toEqual(['ShardStateAvailable', 'ShardStateAvailable'])
    expect(existsSync(unsealed)).toBe(true)
    for (const p of pieces) {
      const raw = await fetch(`${node.url}/ipfs/${p.root}?format=raw`)
      expect(raw.status).toBe(200)
      expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(p.block))).toBe(true)
      const car = await fetch(`${node.url}/ipfs/${p.root}?format=car`)
      const blocks = []
      for await (const b of await CarBlockIterator.fromBytes(new Uint8Array(await car.arrayBuffer()))) blocks.push(b)
      expect(blocks.map((b) => b.cid.toString())).toEqual([p.root.toString()])
      const piece = await fetch(`${node.url}/piece/${p.pieceCid}`)
      expect(piece.status).toBe(200)
      expect(Buffer.from(await piece.arrayBuffer()).equals(Buffer.from(p.unpadded))).toBe(true)
      const part = await fetch(`${node.url}/piece/${p.pieceCid}`, { headers: { Range: 'bytes=100-399' } })
      expect(part.status).toBe(206)
      expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(p.unpadded.subarray(100, 400)))).toBe(true)
      const head = await fetch(`${node.url}/piece/${p.pieceCid}`, { method: 'HEAD' })
      expect(head.headers.get('content-length')).toBe(String(p.unpadded.length))
    }
    expect((node.stdout() + node.stderr()).match(/unsealed sector/g)).toHaveLength(1)
  })

  it('unseals again when a block is asked for after the unsealed copy was removed', async () => {
    await stopNode(node)
    rmSync(unsealed)
    node = await startNode(repo)
    expect((await fetch(`${node.url}/piece/${pieces[1].pieceCid}`)).status).toBe(404) // no unsealed copy: /piece does not unseal
    const raw = await fetch(`${node.url}/ipfs/${pieces[1].root}?format=raw`)
    expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(pieces[1].block))).toBe(true)
    expect(existsSync(unsealed)).toBe(true)
    expect((await fetch(`${node.url}/piece/${pieces[1].pieceCid}`)).status).toBe(200)
  })
})
