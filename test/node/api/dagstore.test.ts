import { CarBufferWriter } from '@ipld/car'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import * as Digest from 'multiformats/hashes/digest'
import { Piece } from '@web3-storage/data-segment'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { dispatchBody, RpcRegistry, RpcSession } from '../../../src/http/rpc/index.ts'
import { dagstoreMethods } from '../../../src/node/api/dagstore.ts'
import { openSqlite, type SqliteDatabase } from '../../../src/node/runtime/index.ts'
import { startNode, type RunningNode } from '../../../src/node/node.ts'
import { initRepo } from '../../../src/node/repo/repo.ts'
import { decodeIndex } from '../../../src/store/car/index.ts'
import { blake2b } from '../../../src/store/car/blake2b.ts'
import { createCarScanner, createMountResolver, Dagstore, DAGSTORE_SCHEMA, openFileReader, PieceMount, toEntryBatch, type PieceLocator } from '../../../src/store/dagstore/index.ts'
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

  it('registers a file through --path semantics under its piece CID (given, or computed for an empty key) and destroys it', async () => {
    const path = join(dir, 'staged.car')
    const piece = Piece.fromPayload(readFileSync(path)).toInfo().link.toString()
    expect((await call('Filecoin.DagstoreRegisterShard', ['', path])).result).toBe(piece)
    expect((await call('Filecoin.DagstoreRegisterShard', [piece, path])).result).toBeNull() // already registered: no-op
    expect((await call('Filecoin.DagstoreGC')).result).toEqual([{ Key: piece, Success: true, Error: '' }])
    expect((await call('Filecoin.DagstoreDestroyShard', [piece])).result).toBeNull()
    expect((await call('Filecoin.DagstoreListShards')).result).toEqual([])
    expect((await call('Filecoin.DagstoreDestroyShard', [piece])).error.data.code).toBe('E_SHARD_NOT_FOUND')
    // The v2 form of the same piece CID is accepted as the key too.
    const v2 = Piece.fromPayload(readFileSync(path)).link.toString()
    expect((await call('Filecoin.DagstoreRegisterShard', [v2, path])).result).toBeNull()
    expect((await call('Filecoin.DagstoreListShards')).result).toMatchObject([{ Key: v2, State: 'ShardStateAvailable' }])
  })

  it('refuses a file registered under a piece CID that is not its own, and registers nothing', async () => {
    const r = await call('Filecoin.DagstoreRegisterShard', [PIECE_B, join(dir, 'staged.car')])
    expect(r.error.data.code).toBe('E_SHARD_PIECE_MISMATCH')
    expect(r.error.code).toBe(41)
    expect(r.error.message).toContain(`not ${PIECE_B}`)
    expect((await call('Filecoin.DagstoreListShards')).result).toEqual([])
    expect((await call('Filecoin.DagstoreRegisterShard', ['', join(dir, 'missing.car')])).error.data.code).toMatch(/^E_FILE_/)
    expect((await call('Filecoin.DagstoreRegisterShard', [PIECE_B, 'relative.car'])).error.data.code).toBe('E_INVALID_ARGUMENT')
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

describe('the dagstore service on a running node', () => {
  const FIXTURES = join(import.meta.dirname, '../../fixtures')
  const SAMPLE = join(FIXTURES, 'car/v2/sample-v1.car')
  // The sample's piece CID as the reference package computes it: a file is registered under its own piece.
  const SAMPLE_PIECE = Piece.fromPayload(readFileSync(SAMPLE)).toInfo().link.toString()
  let tmp: string
  let node: RunningNode
  let token: string
  const rpc = async (method: string, params: unknown[] = [], auth = token) => {
    const res = await fetch(`${node.url}/rpc/v0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
    return (await res.json()) as any
  }
  const start = async () => {
    node = await startNode({ root: join(tmp, 'repo'), listen: '127.0.0.1:0', logWrite: () => {} })
    token = readFileSync(join(tmp, 'repo', 'token'), 'utf8').trim()
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'petal-dsnode-'))
    initRepo(join(tmp, 'repo'))
    await start()
  })
  afterAll(async () => {
    await node?.stop()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('registers a CAR file as a shard and exports its index byte for byte as go-car does', async () => {
    expect((await rpc('Filecoin.DagstoreRegisterShard', [SAMPLE_PIECE, SAMPLE])).result).toBeNull()
    expect((await rpc('Filecoin.DagstoreListShards')).result).toEqual([{ Key: SAMPLE_PIECE, State: 'ShardStateAvailable', Error: '' }])
    const out = join(tmp, 'sample.idx')
    const r = (await rpc('Filecoin.DagstoreExportIndex', [SAMPLE_PIECE, out])).result
    expect(r).toMatchObject({ Key: SAMPLE_PIECE, Codec: 0x0401, Entries: 1043 })
    expect(Buffer.compare(readFileSync(out), readFileSync(join(FIXTURES, 'car/v2/sample-multihash-index-sorted.carindex')))).toBe(0)
    const sorted = join(tmp, 'sample-0400.idx')
    expect((await rpc('Filecoin.DagstoreExportIndex', [SAMPLE_PIECE, sorted, 0x0400])).result.Entries).toBe(1043)
    const decoded = await decodeIndex(readFileSync(sorted))
    expect(decoded.codec).toBe(0x0400)
    expect((await rpc('Filecoin.DagstoreExportIndex', [SAMPLE_PIECE, 'relative.idx'])).error.data.code).toBe('E_INVALID_ARGUMENT')
    expect((await rpc('Filecoin.DagstoreExportIndex', [PIECE_A, out])).error.data.code).toBe('E_SHARD_NOT_FOUND')
  })

  /** The sixth block of sample-v1.car, as the scanner lists it. */
  const sixth = async () => {
    const reader = openFileReader(SAMPLE)
    const scan = await createCarScanner()(reader, {})
    const entry = toEntryBatch((await scan.entries[Symbol.asyncIterator]().next()).value!).entry(5)
    reader.close()
    return entry
  }

  it('serves blocks of the shard through /ipfs, verified, with their length', async () => {
    const first = await sixth()
    const cid = CID.createV1(0x55, Digest.decode(first.multihash))
    const res = await fetch(`${node.url}/ipfs/${cid}?format=raw`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(first.size))
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(bytes.length).toBe(first.size)
    expect(Buffer.from(Digest.decode(first.multihash).digest).equals(Buffer.from(blake2b(bytes, 32)))).toBe(true)
    expect((await fetch(`${node.url}/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy?format=raw`)).status).toBe(404)
  })

  it('serves a registered file as its piece: zero-padded to the unpadded piece size, ranges with their length', async () => {
    const file = readFileSync(SAMPLE)
    const head = await fetch(`${node.url}/piece/${SAMPLE_PIECE}`, { method: 'HEAD' })
    expect(head.headers.get('content-length')).toBe(String(520192))
    const whole = new Uint8Array(await (await fetch(`${node.url}/piece/${SAMPLE_PIECE}`)).arrayBuffer())
    expect(whole.length).toBe(520192)
    expect(Buffer.from(whole.subarray(0, file.length)).equals(file)).toBe(true)
    expect(whole.subarray(file.length).every((b) => b === 0)).toBe(true)
    const part = await fetch(`${node.url}/piece/${SAMPLE_PIECE}`, { headers: { Range: 'bytes=1000-99999' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-length')).toBe('99000')
    expect(Buffer.from(await part.arrayBuffer()).equals(file.subarray(1000, 100000))).toBe(true)
    expect((await fetch(`${node.url}/piece/${PIECE_A}`)).status).toBe(404)
  })

  it('indexes a piece from the staging folder, and serves it as the piece', async () => {
    const staged = readFileSync(join(FIXTURES, 'car/v2/sample-v1-with-zero-len-section.car'))
    writeFileSync(join(tmp, 'repo', 'staging', PIECE_A), staged)
    expect((await rpc('Filecoin.DagstoreRegisterShard', [PIECE_A])).result).toBeNull()
    expect(((await rpc('Filecoin.DagstoreListShards')).result as Array<{ Key: string; State: string }>).find((s) => s.Key === PIECE_A)?.State).toBe('ShardStateAvailable')
    const res = await fetch(`${node.url}/piece/${PIECE_A}`, { headers: { Range: 'bytes=0-1023' } })
    expect(Buffer.from(await res.arrayBuffer()).equals(staged.subarray(0, 1024))).toBe(true)
    const block = CID.createV1(0x71, Digest.decode((await sixth()).multihash))
    const holders = (await rpc('Filecoin.DagstoreLookupPieces', [{ '/': block.toString() }])).result
    expect(holders.map((s: { Key: string }) => s.Key).sort()).toEqual([SAMPLE_PIECE, PIECE_A].sort())
  })

  it('drives a shard left Initializing by a crash again when the node restarts', async () => {
    await node.stop()
    const db = openSqlite(join(tmp, 'repo', 'petal.db'))
    db.query("UPDATE dagstore_shards SET state = 'ShardStateInitializing' WHERE key = ?").run(PIECE_A)
    db.query('DELETE FROM dagstore_index WHERE shard_id = (SELECT id FROM dagstore_shards WHERE key = ?)').run(PIECE_A)
    db.close()
    await start()
    for (let i = 0; i < 100; i++) {
      const shard = ((await rpc('Filecoin.DagstoreListShards')).result as Array<{ Key: string; State: string }>).find((s) => s.Key === PIECE_A)
      if (shard?.State === 'ShardStateAvailable') break
      await new Promise((r) => setTimeout(r, 50))
    }
    const out = join(tmp, 'again.idx')
    expect((await rpc('Filecoin.DagstoreExportIndex', [PIECE_A, out])).result.Entries).toBe(1043)
  })

  it('never sends a block that fails its hash check, unless [retrieval] verify_blocks is off', async () => {
    // A CAR with one 100 KB block (hashed off the main thread), registered from a copy, then one byte flipped.
    const bytes = crypto.getRandomValues(new Uint8Array(100_000))
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    const w = CarBufferWriter.createWriter(new ArrayBuffer(200_000), { roots: [cid] })
    w.write({ cid, bytes })
    const car = w.close({ resize: true })
    const path = join(tmp, 'corrupt.car')
    writeFileSync(path, car)
    expect((await rpc('Filecoin.DagstoreRegisterShard', ['', path])).error).toBeUndefined()
    const at = Buffer.from(car).indexOf(Buffer.from(bytes.subarray(0, 32))) + 5000
    car[at] ^= 1
    writeFileSync(path, car)
    await rpc('Filecoin.DagstoreGC')
    const checked = await fetch(`${node.url}/ipfs/${cid}?format=raw`)
    expect(checked.status).toBe(500)
    expect(await checked.json()).toMatchObject({ error: { code: 'E_SHARD_BLOCK_CORRUPT' } })
    // The root is checked before any byte of a CAR goes out, so that fails with a status too.
    expect((await fetch(`${node.url}/ipfs/${cid}?format=car`)).status).toBe(500)

    await node.stop()
    const config = join(tmp, 'repo', 'config.toml')
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^#verify_blocks = true$/m, 'verify_blocks = false'))
    await start()
    const trusted = await fetch(`${node.url}/ipfs/${cid}?format=raw`)
    expect(trusted.status).toBe(200)
    const sent = new Uint8Array(await trusted.arrayBuffer())
    expect(sent.length).toBe(bytes.length)
    expect(sent[at - (car.length - bytes.length)]).toBe(bytes[at - (car.length - bytes.length)] ^ 1)
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^verify_blocks = false$/m, '#verify_blocks = true'))
  })

  it('demands a read token on /ipfs and /piece when [retrieval] require_token is set', async () => {
    await node.stop()
    const config = join(tmp, 'repo', 'config.toml')
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^#require_token = false$/m, 'require_token = true'))
    await start()
    expect((await fetch(`${node.url}/piece/${SAMPLE_PIECE}`, { method: 'HEAD' })).status).toBe(401)
    const bad = await fetch(`${node.url}/piece/${SAMPLE_PIECE}`, { method: 'HEAD', headers: { authorization: 'Bearer nope' } })
    expect(bad.status).toBe(401)
    const ok = await fetch(`${node.url}/piece/${SAMPLE_PIECE}`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } })
    expect(ok.status).toBe(200)
    const block = CID.createV1(0x55, Digest.decode((await sixth()).multihash))
    expect((await fetch(`${node.url}/ipfs/${block}?format=raw`)).status).toBe(401)
    expect((await fetch(`${node.url}/ipfs/${block}?format=raw`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    // CORS preflight stays open, so browsers can send the token.
    expect((await fetch(`${node.url}/ipfs/${SAMPLE_PIECE}`, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } })).status).toBe(204)
  })
})
