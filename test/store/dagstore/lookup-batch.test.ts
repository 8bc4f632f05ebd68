/**
 * Group commits of small shards' lookup rows: many shards registered at once all end up Available with
 * every block found in the right shard; a shard waits (Initializing, its blocks not yet found) while
 * another is still indexing, and is committed when that one ends; a failed group commit errors the shards
 * in it, loses nothing else, and they recover.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type SqliteDatabase } from '../../../src/node/runtime/index.ts'
import { createMountResolver, Dagstore, DAGSTORE_SCHEMA, FileMount, LookupBatch, type ShardScanner } from '../../../src/store/dagstore/index.ts'
import { makeCar } from './make-car.ts'
import { scanWithIpldCar } from './scan-with-ipld-car.ts'

describe('group commits of lookup rows', () => {
  let dir: string
  let db: SqliteDatabase
  const open = (scan: ShardScanner = scanWithIpldCar, maxConcurrentIndex = 2) =>
    new Dagstore({ db, resolveMount: createMountResolver({ unsealedPath: async () => undefined }), scan, maxConcurrentIndex })

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'petal-lookup-batch-'))
    db = openSqlite(join(dir, 'petal.db'))
    db.exec(DAGSTORE_SCHEMA)
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('indexes many shards registered at once: all Available, every block found in its own shard', async () => {
    const ds = open()
    const cids: CID[][] = []
    for (let s = 0; s < 40; s++) cids.push(await makeCar(join(dir, `${s}.car`), 30 + s, s))
    const infos = await Promise.all(cids.map((_, s) => ds.register(`shard-${s}`, new FileMount(join(dir, `${s}.car`)))))
    expect(infos.every((i) => i.State === 'ShardStateAvailable')).toBe(true)
    for (let s = 0; s < 40; s++) {
      expect(ds.record(`shard-${s}`).entries).toBe(30 + s)
      for (const cid of [cids[s][0], cids[s][29 + s]]) expect(ds.lookupPieces(cid).map((i) => i.Key)).toEqual([`shard-${s}`])
    }
    expect(db.query<{ n: number }>('SELECT count(*) AS n FROM dagstore_index').get()!.n).toBe(cids.flat().length)
    ds.close()
  })

  it('keeps a small shard Initializing, its blocks unseen, while another indexes; commits it when that one ends', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const slowScan: ShardScanner = async (reader, o) => {
      if (reader.path?.endsWith('slow.car')) await gate
      return scanWithIpldCar(reader, o)
    }
    const ds = open(slowScan)
    const slowCids = await makeCar(join(dir, 'slow.car'), 10, 1)
    const fastCids = await makeCar(join(dir, 'fast.car'), 10, 2)
    const slow = ds.register('slow', new FileMount(join(dir, 'slow.car')))
    const fast = ds.register('fast', new FileMount(join(dir, 'fast.car')))
    let fastDone = false
    void fast.then(() => (fastDone = true))
    // Let the fast shard scan and write its pages.
    for (let i = 0; i < 50 && db.query('SELECT 1 FROM dagstore_pages LIMIT 1').get() === null; i++) await new Promise((r) => setTimeout(r, 5))
    await new Promise((r) => setTimeout(r, 20))
    expect(fastDone).toBe(false)
    expect(ds.info('fast').State).toBe('ShardStateInitializing')
    expect(ds.lookupPieces(fastCids[3])).toEqual([])
    release()
    expect((await fast).State).toBe('ShardStateAvailable')
    expect((await slow).State).toBe('ShardStateAvailable')
    expect(ds.lookupPieces(fastCids[3]).map((i) => i.Key)).toEqual(['fast'])
    expect(ds.lookupPieces(slowCids[3]).map((i) => i.Key)).toEqual(['slow'])
    ds.close()
  })

  it('errors the shards of a failed group commit, leaves the others whole, and recovers them', async () => {
    const ds = open(scanWithIpldCar, 1)
    const cids: CID[][] = []
    for (let s = 0; s < 6; s++) cids.push(await makeCar(join(dir, `${s}.car`), 20, 100 + s))
    await ds.register('shard-0', new FileMount(join(dir, '0.car')))
    // Real SQLite refusing the rows of one shard: its group's transaction rolls back.
    const victim = db.query<{ id: number }>('SELECT max(id) + 3 AS id FROM dagstore_shards').get()!.id
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON dagstore_index WHEN NEW.shard_id = ${victim} BEGIN SELECT RAISE(ABORT, 'refused'); END`)
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((s) => ds.register(`shard-${s}`, new FileMount(join(dir, `${s}.car`)))))
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`shard-${i + 1}`] : []))
    expect(failed).toContain(`shard-${victim}`)
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'E_SHARD_INDEX' })
    for (let s = 0; s < 6; s++) {
      const key = `shard-${s}`
      if (failed.includes(key)) {
        expect(ds.info(key).State).toBe('ShardStateErrored')
        expect(ds.lookupPieces(cids[s][5])).toEqual([])
        expect(db.query<{ n: number }>('SELECT count(*) AS n FROM dagstore_pages WHERE shard_id = ?').get(ds.record(key).id)!.n).toBe(0)
      } else {
        expect(ds.info(key).State).toBe('ShardStateAvailable')
        expect(ds.lookupPieces(cids[s][5]).map((i) => i.Key)).toEqual([key])
      }
    }
    db.exec('DROP TRIGGER refuse')
    for (const key of failed) await ds.recover(key)
    for (let s = 0; s < 6; s++) expect(ds.lookupPieces(cids[s][19]).map((i) => i.Key)).toEqual([`shard-${s}`])
    ds.close()
  })

  it('commits on its own once enough rows wait', async () => {
    const batch = new LookupBatch(db, 5)
    const small = batch.add({ shardId: 1, keys: new Float64Array([3, 1]), pageIds: new Float64Array([7, 7]) })
    expect(batch.rows).toBe(2)
    const big = batch.add({ shardId: 2, keys: new Float64Array([2, 5, 4]), pageIds: new Float64Array([8, 8, 9]) })
    expect(batch.rows).toBe(0)
    await Promise.all([small, big])
    expect(db.query('SELECT key, shard_id, page_id FROM dagstore_index ORDER BY key').values()).toEqual([
      [1, 1, 7],
      [2, 2, 8],
      [3, 1, 7],
      [4, 2, 9],
      [5, 2, 8],
    ])
  })
})
