import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createMountResolver,
  Dagstore,
  DAGSTORE_SCHEMA,
  EntryBatch,
  FileMount,
  initializeAll,
  PieceMount,
  type InitializeAllEvent,
  type PieceLocator,
} from '../../../src/store/dagstore/index.ts'
import { openSqlite, type SqliteDatabase } from '../../../src/node/runtime/index.ts'
import { makeCar } from './make-car.ts'
import { scanWithIpldCar } from './scan-with-ipld-car.ts'

const FIXTURES = join(import.meta.dirname, '../../fixtures')

describe('the dagstore', () => {
  let dir: string
  let db: SqliteDatabase
  const noPieces: PieceLocator = { unsealedPath: async () => undefined }
  const open = (over: Partial<ConstructorParameters<typeof Dagstore>[0]> = {}) =>
    new Dagstore({ db, resolveMount: createMountResolver(noPieces), scan: scanWithIpldCar, ...over })

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'petal-dagstore-'))
    db = openSqlite(join(dir, 'petal.db'))
    db.exec(DAGSTORE_SCHEMA)
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('registers eagerly: the shard is indexed and Available when register returns', async () => {
    const cids = await makeCar(join(dir, 'a.car'), 20, 1)
    const ds = open()
    expect(await ds.register('piece-a', new FileMount(join(dir, 'a.car')))).toEqual({ Key: 'piece-a', State: 'ShardStateAvailable', Error: '' })
    expect(ds.record('piece-a').entries).toBe(20)
    expect(ds.lookupPieces(cids[7]).map((s) => s.Key)).toEqual(['piece-a'])
    // The WAL checkpoint threshold raised while indexing lingers for the next shard; close() restores it.
    expect(db.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 65_536 })
    ds.close()
    expect(db.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 })
  })

  it('registers lazily: New until the first acquire indexes it', async () => {
    const cids = await makeCar(join(dir, 'a.car'), 5, 1)
    const ds = open()
    await ds.register('k', new FileMount(join(dir, 'a.car')), { lazy: true })
    expect(ds.info('k').State).toBe('ShardStateNew')
    const acc = await ds.acquire('k')
    expect(ds.info('k').State).toBe('ShardStateServing')
    expect(new TextDecoder().decode(acc.get(cids[3])!)).toBe('block 1-3 xxx')
    acc.close()
    expect(ds.info('k').State).toBe('ShardStateAvailable')
  })

  it('keeps Serving in memory only: the stored state stays Available, and a restart shows Available', async () => {
    await makeCar(join(dir, 'a.car'), 3, 1)
    const stored = () => (db.query("SELECT state FROM dagstore_shards WHERE key = 'k'").get() as { state: string }).state
    const ds = open()
    await ds.register('k', new FileMount(join(dir, 'a.car')))
    const acc = await ds.acquire('k')
    expect(ds.info('k').State).toBe('ShardStateServing')
    expect(stored()).toBe('ShardStateAvailable')
    // The process dies holding the reader; the next one finds the shard Available.
    const after = open()
    expect(after.info('k').State).toBe('ShardStateAvailable')
    acc.close()
    // A row stored as Serving by an older petal is set to Available when the dagstore starts.
    db.query("UPDATE dagstore_shards SET state = 'ShardStateServing' WHERE key = 'k'").run()
    const legacy = open()
    await legacy.start()
    expect(stored()).toBe('ShardStateAvailable')
    expect(legacy.list()).toEqual([{ Key: 'k', State: 'ShardStateAvailable', Error: '' }])
  })

  it('refuses a second registration under the same key', async () => {
    await makeCar(join(dir, 'a.car'), 3, 1)
    const ds = open()
    await ds.register('k', new FileMount(join(dir, 'a.car')))
    await expect(ds.register('k', new FileMount(join(dir, 'a.car')))).rejects.toMatchObject({ code: 'E_SHARD_EXISTS' })
  })

  it('counts readers: Serving while any holds the shard, Available after the last releases', async () => {
    await makeCar(join(dir, 'a.car'), 3, 1)
    const ds = open()
    await ds.register('k', new FileMount(join(dir, 'a.car')))
    const a = await ds.acquire('k')
    const b = await ds.acquire('k')
    a.close()
    a.close() // a second close is a no-op
    expect(ds.info('k').State).toBe('ShardStateServing')
    await expect(ds.destroy('k')).rejects.toMatchObject({ code: 'E_SHARD_BUSY' })
    b.close()
    expect(ds.info('k').State).toBe('ShardStateAvailable')
  })

  it('errors a shard whose bytes are not a CAR, refuses to serve it, and recovers it once fixed', async () => {
    const path = join(dir, 'piece.car')
    copyFileSync(join(FIXTURES, 'car/dagstore/junk.dat'), path)
    const ds = open({ index: { bulkLingerMs: 0 } })
    await expect(ds.register('k', new FileMount(path))).rejects.toMatchObject({ code: 'E_SHARD_INDEX' })
    expect(ds.info('k')).toMatchObject({ State: 'ShardStateErrored', Error: expect.any(String) })
    expect(ds.info('k').Error).not.toBe('')
    expect(db.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 })
    await expect(ds.acquire('k')).rejects.toMatchObject({ code: 'E_SHARD_ERRORED' })
    await expect(ds.initialize('k')).rejects.toMatchObject({ code: 'E_SHARD_STATE' })
    const cids = await makeCar(path, 4, 2)
    await ds.recover('k')
    expect(ds.info('k')).toEqual({ Key: 'k', State: 'ShardStateAvailable', Error: '' })
    expect(ds.lookupPieces(cids[2]).map((s) => s.Key)).toEqual(['k'])
    await expect(ds.recover('k')).rejects.toMatchObject({ code: 'E_SHARD_STATE' })
  })

  it('destroys a shard with its index rows and lookup entries', async () => {
    const cids = await makeCar(join(dir, 'a.car'), 10, 1)
    const ds = open()
    await ds.register('k', new FileMount(join(dir, 'a.car')))
    await ds.destroy('k')
    expect(ds.list()).toEqual([])
    expect(ds.lookupPieces(cids[0])).toEqual([])
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_index').get()).toEqual({ n: 0 })
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_pages').get()).toEqual({ n: 0 })
    await expect(ds.acquire('k')).rejects.toMatchObject({ code: 'E_SHARD_NOT_FOUND' })
  })

  it('keeps state across a restart: Serving becomes Available, interrupted indexing is driven again', async () => {
    await makeCar(join(dir, 'a.car'), 6, 1)
    await makeCar(join(dir, 'b.car'), 6, 2)
    const first = open()
    await first.register('a', new FileMount(join(dir, 'a.car')))
    await first.register('b', new FileMount(join(dir, 'b.car')), { lazy: true })
    await first.acquire('a') // never released: the process "dies" holding it
    db.query("UPDATE dagstore_shards SET state = 'ShardStateInitializing' WHERE key = 'b'").run()
    // The crash left part of an index behind: a page and its lookup row, for an entry b does not hold.
    const bogus = new Uint8Array([0x12, 0x20, ...new Uint8Array(32).fill(0xee)])
    first.index.add(first.record('b').id, EntryBatch.fromEntries([{ multihash: bogus, offset: 0, size: 0 }]))
    const second = open()
    await second.start()
    expect(second.list()).toEqual([
      { Key: 'a', State: 'ShardStateAvailable', Error: '' },
      { Key: 'b', State: 'ShardStateAvailable', Error: '' },
    ])
    expect(second.record('b').entries).toBe(6)
    expect(db.query("SELECT COUNT(*) AS n FROM dagstore_index i JOIN dagstore_shards s ON s.id = i.shard_id WHERE s.key = 'b'").get()).toEqual({ n: 6 })
    expect([...second.entries('b')].map((e) => e.offset)).not.toContain(0)
    expect(second.index.shardsWith(bogus)).toEqual([])
  })

  it('recovers a shard left Recovering by a crash', async () => {
    await makeCar(join(dir, 'a.car'), 3, 1)
    const first = open()
    await first.register('a', new FileMount(join(dir, 'a.car')))
    db.query("UPDATE dagstore_shards SET state = 'ShardStateRecovering' WHERE key = 'a'").run()
    const second = open()
    await second.start()
    expect(second.info('a').State).toBe('ShardStateAvailable')
  })

  it('lets an Errored shard found at start recover on its first acquire, once', async () => {
    const path = join(dir, 'a.car')
    copyFileSync(join(FIXTURES, 'car/dagstore/junk.dat'), path)
    await open().register('a', new FileMount(path)).catch(() => {})
    await makeCar(path, 3, 1)
    const second = open()
    await second.start()
    const acc = await second.acquire('a')
    acc.close()
    expect(second.info('a').State).toBe('ShardStateAvailable')
  })

  it('limits concurrent indexing and queues the rest', async () => {
    for (let i = 0; i < 6; i++) await makeCar(join(dir, `${i}.car`), 50, i)
    let running = 0
    let peak = 0
    const ds = open({
      maxConcurrentIndex: 2,
      scan: async (reader, o) => {
        running++
        peak = Math.max(peak, running)
        await new Promise((r) => setTimeout(r, 20))
        try {
          return await scanWithIpldCar(reader, o)
        } finally {
          running--
        }
      },
    })
    await Promise.all(Array.from({ length: 6 }, (_, i) => ds.register(`k${i}`, new FileMount(join(dir, `${i}.car`)))))
    expect(peak).toBe(2)
    expect(ds.list().every((s) => s.State === 'ShardStateAvailable')).toBe(true)
  })

  it('reads a block from whichever shard holds it, and verifies it', async () => {
    const cids = await makeCar(join(dir, 'a.car'), 8, 1)
    const ds = open()
    await ds.register('a', new FileMount(join(dir, 'a.car')))
    expect(new TextDecoder().decode((await ds.getBlock(cids[5]))!)).toBe('block 1-5 xxxxx')
    expect(await ds.getBlock(CID.createV1(raw.code, await sha256.digest(new Uint8Array([1]))))).toBeUndefined()
    // Flip a byte of a block on disk: the read fails loudly instead of returning wrong bytes.
    const { readFileSync } = await import('node:fs')
    const bytes = readFileSync(join(dir, 'a.car'))
    const at = bytes.indexOf(Buffer.from('block 1-5 xxxxx'))
    bytes[at] ^= 1
    writeFileSync(join(dir, 'a.car'), bytes)
    ds.gc()
    await expect(ds.getBlock(cids[5])).rejects.toMatchObject({ code: 'E_SHARD_BLOCK_CORRUPT' })
  })

  it('indexes CARv2 shards at their data offset, including 0x0400-indexed 2021 files', async () => {
    const ds = open()
    await ds.register('v2', new FileMount(join(FIXTURES, 'car/v2/sample-wrapped-v2.car')))
    await ds.register('old', new FileMount(join(FIXTURES, 'car/dagstore/lotus-markets-sample-rw-bs-v2.car')))
    expect(ds.record('v2')).toMatchObject({ dataOffset: 51, entries: 1049 })
    const root = CID.parse('bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy')
    expect((await ds.getBlock(root))!.length).toBeGreaterThan(0)
    expect(ds.lookupPieces(root).map((s) => s.Key)).toEqual(['v2'])
  })

  it('reports GC per idle shard as lotus-miner does', async () => {
    await makeCar(join(dir, 'a.car'), 3, 1)
    await makeCar(join(dir, 'b.car'), 3, 2)
    const ds = open()
    await ds.register('a', new FileMount(join(dir, 'a.car')))
    await ds.register('b', new FileMount(join(dir, 'b.car')))
    const held = await ds.acquire('b')
    expect(ds.gc()).toEqual([{ Key: 'a', Success: true, Error: '' }])
    held.close()
  })

  it('initializes all New shards with start and end events, skipping sealed-only pieces unless asked', async () => {
    await makeCar(join(dir, 'a.car'), 3, 1)
    await makeCar(join(dir, 'b.car'), 3, 2)
    await makeCar(join(dir, 'sealed.car'), 3, 3)
    let unsealed = false
    const locator: PieceLocator = {
      unsealedPath: async (p) => (p === 'sealed-piece' && !unsealed ? undefined : p === 'sealed-piece' ? join(dir, 'sealed.car') : undefined),
      hasSealed: async () => true,
      unseal: async () => {
        unsealed = true
        return true
      },
    }
    const resolve = createMountResolver(locator)
    const ds = open({ resolveMount: resolve })
    await ds.register('a', new FileMount(join(dir, 'a.car')), { lazy: true })
    await ds.register('b', new FileMount(join(dir, 'b.car')), { lazy: true })
    await ds.register('sealed-piece', new PieceMount('sealed-piece', locator), { lazy: true })
    const run = async (includeSealed: boolean) => {
      const events: InitializeAllEvent[] = []
      for await (const e of initializeAll(ds, resolve, { concurrency: 1, includeSealed })) events.push(e)
      return events
    }
    const first = await run(false)
    // Starts come in order; a shard's end follows its start, and may come after the next start (its lookup
    // rows wait for a group commit with the next shard's).
    const line = (e: InitializeAllEvent) => `${e.Current}/${e.Total} ${e.Key} ${e.Event} ${e.Success}`
    expect(first.filter((e) => e.Event === 'start').map(line)).toEqual(['1/2 a start false', '2/2 b start false'])
    expect(first.filter((e) => e.Event === 'end').map(line).sort()).toEqual(['1/2 a end true', '2/2 b end true'])
    for (const key of ['a', 'b']) expect(first.findIndex((e) => e.Key === key && e.Event === 'start')).toBeLessThan(first.findIndex((e) => e.Key === key && e.Event === 'end'))
    expect(ds.info('a').State).toBe('ShardStateAvailable')
    expect(ds.info('sealed-piece').State).toBe('ShardStateNew')
    const second = await run(true)
    expect(second.map((e) => `${e.Key} ${e.Event} ${e.Success}`)).toEqual(['sealed-piece start false', 'sealed-piece end true'])
    expect(unsealed).toBe(true)
    expect(await run(true)).toEqual([])
  })
})
