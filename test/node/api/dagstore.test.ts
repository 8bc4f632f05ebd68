import { CarBufferWriter } from '@ipld/car'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatchBody, RpcRegistry, RpcSession } from '../../../src/http/rpc/index.ts'
import { dagstoreMethods } from '../../../src/node/api/dagstore.ts'
import { openSqlite, type SqliteDatabase } from '../../../src/node/runtime/index.ts'
import { createMountResolver, Dagstore, DAGSTORE_SCHEMA, PieceMount, type PieceLocator } from '../../../src/store/dagstore/index.ts'
import { scanWithIpldCar } from '../../store/dagstore/scan-with-ipld-car.ts'

const PIECE_A = 'baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi'
const PIECE_B = 'baga6ea4seaqnfhocd544oidrgsss2ahoaomvxuaqxfmlsizljtzsuivjl5hamka'

describe('Dagstore* JSON-RPC methods', () => {
  let dir: string
  let db: SqliteDatabase
  let registry: RpcRegistry
  let dagstore: Dagstore
  let firstBlock: CID

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'petal-dsapi-'))
    db = openSqlite(join(dir, 'petal.db'))
    db.exec(DAGSTORE_SCHEMA)
    const bytes = new TextEncoder().encode('hello shard')
    firstBlock = CID.createV1(raw.code, await sha256.digest(bytes))
    const w = CarBufferWriter.createWriter(new ArrayBuffer(1024), { roots: [firstBlock] })
    w.write({ cid: firstBlock, bytes })
    writeFileSync(join(dir, 'staged.car'), w.close({ resize: true }))
    const pieces: PieceLocator = { unsealedPath: async (p) => (p === PIECE_A ? join(dir, 'staged.car') : undefined) }
    const resolveMount = createMountResolver(pieces)
    dagstore = new Dagstore({ db, resolveMount, scan: scanWithIpldCar })
    registry = new RpcRegistry().add(...dagstoreMethods({ dagstore, resolveMount, pieces }))
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const call = async (method: string, params: unknown[] = [], perms = ['read', 'write', 'sign', 'admin']) =>
    (await dispatchBody(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }), { registry, perms: perms as never, transport: 'http', signal: new AbortController().signal, timeoutMs: 0 })) as any

  it('registers a piece from the staging folder, lists it, and finds it by block CID', async () => {
    expect((await call('Filecoin.DagstoreRegisterShard', [PIECE_A])).result).toBeNull()
    expect((await call('Filecoin.DagstoreRegisterShard', [PIECE_A])).result).toBeNull() // already registered: no-op
    expect((await call('Filecoin.DagstoreListShards')).result).toEqual([{ Key: PIECE_A, State: 'ShardStateAvailable', Error: '' }])
    expect((await call('Filecoin.DagstoreLookupPieces', [{ '/': firstBlock.toString() }])).result).toEqual([{ Key: PIECE_A, State: 'ShardStateAvailable', Error: '' }])
  })

  it("answers a key that is not a piece CID with Lotus's message", async () => {
    const r = await call('Filecoin.DagstoreRegisterShard', ['not-a-cid'])
    expect(r.error).toMatchObject({ data: { code: 'E_INVALID_ARGUMENT' } })
    expect(r.error.message).toMatch(/^parsing shard key as piece cid: /)
  })

  it('errors a shard whose piece has no copy, and reports the error in the list', async () => {
    const r = await call('Filecoin.DagstoreRegisterShard', [PIECE_B])
    expect(r.error.data.code).toBe('E_SHARD_INDEX')
    expect((await call('Filecoin.DagstoreListShards')).result[0]).toMatchObject({ Key: PIECE_B, State: 'ShardStateErrored', Error: expect.stringContaining('unavailable') })
    expect((await call('Filecoin.DagstoreInitializeShard', [PIECE_B])).error.message).toBe(
      `cannot initialize shard ${PIECE_B}; expected state ShardStateNew, was: ShardStateErrored`,
    )
  })

  it('registers a file through --path semantics and destroys it', async () => {
    expect((await call('Filecoin.DagstoreRegisterShard', [PIECE_B, join(dir, 'staged.car')])).result).toBeNull()
    expect((await call('Filecoin.DagstoreGC')).result).toEqual([{ Key: PIECE_B, Success: true, Error: '' }])
    expect((await call('Filecoin.DagstoreDestroyShard', [PIECE_B])).result).toBeNull()
    expect((await call('Filecoin.DagstoreListShards')).result).toEqual([])
    expect((await call('Filecoin.DagstoreDestroyShard', [PIECE_B])).error.data.code).toBe('E_SHARD_NOT_FOUND')
  })

  it('keeps admin methods from write tokens', async () => {
    expect((await call('Filecoin.DagstoreGC', [], ['read', 'write'])).error.data.code).toBe('E_PERMISSION_DENIED')
    expect((await call('Filecoin.DagstoreListShards', [], ['read'])).result).toEqual([])
  })

  it('streams DagstoreInitializeAll events over a websocket channel', async () => {
    // Lazily registered shards (as Lotus's migration registers them) wait in ShardStateNew.
    await dagstore.register(PIECE_A, new PieceMount(PIECE_A, { unsealedPath: async () => join(dir, 'staged.car') }), { lazy: true })
    await dagstore.register(PIECE_B, new PieceMount(PIECE_B, { unsealedPath: async () => undefined, hasSealed: async () => true }), { lazy: true })
    const sent: any[] = []
    const session = new RpcSession({ send: (d) => sent.push(JSON.parse(d)), close() {} }, { registry, perms: ['read', 'write'], timeoutMs: 0 })
    await session.onMessage(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'Filecoin.DagstoreInitializeAll', params: [{ MaxConcurrency: 2, IncludeSealed: false }] }))
    for (let i = 0; i < 200 && !sent.some((m) => m.method === 'xrpc.ch.close'); i++) await new Promise((r) => setTimeout(r, 5))
    expect(sent[0]).toEqual({ jsonrpc: '2.0', id: 5, result: 1 })
    // The sealed-only piece is skipped without IncludeSealed.
    expect(sent.filter((m) => m.method === 'xrpc.ch.val').map((m) => m.params[1])).toEqual([
      { Key: PIECE_A, Event: 'start', Success: false, Error: '', Total: 1, Current: 1 },
      { Key: PIECE_A, Event: 'end', Success: true, Error: '', Total: 1, Current: 1 },
    ])
    expect(sent.at(-1)).toEqual({ jsonrpc: '2.0', method: 'xrpc.ch.close', params: [1] })
  })
})
