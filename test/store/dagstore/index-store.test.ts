import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type SqliteDatabase } from '../../../src/node/runtime/index.ts'
import { DAGSTORE_SCHEMA, EntryBatch, IndexStore, lookupKey, PAGE_BYTES, sortByKeyPrefix, type IndexEntry } from '../../../src/store/dagstore/index.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
/** A sha2-256 multihash whose digest starts with `prefix`. */
const mh = (prefix: number[] = []) => new Uint8Array([0x12, 0x20, ...prefix, ...randomBytes(32 - prefix.length)])

/** `n` entries in payload order, sections of 100 bytes. */
function entries(n: number, make: (i: number) => Uint8Array = () => mh()): IndexEntry[] {
  return Array.from({ length: n }, (_, i) => ({ multihash: make(i), offset: 59 + i * 100, size: 60 + (i % 7) }))
}

describe('the dagstore index store', () => {
  let db: SqliteDatabase
  beforeEach(() => {
    db = openSqlite(':memory:')
    db.exec(DAGSTORE_SCHEMA)
  })
  afterEach(() => db.close())

  const write = async (store: IndexStore, shardId: number, list: IndexEntry[], batch = 1000) => {
    const w = store.writer(shardId)
    for (let i = 0; i < list.length; i += batch) {
      w.write(EntryBatch.fromEntries(list.slice(i, i + batch)))
      while (w.step()) await Promise.resolve()
    }
    w.end()
    while (w.step()) await Promise.resolve()
    return w.count
  }

  it('finds every entry across runs, transactions and pages, lists them in payload order, and drops them all', async () => {
    // Runs of 700 rows, 500 rows per transaction, batches of 333: every boundary falls somewhere new.
    const store = new IndexStore(db, { runSize: 700, rowsPerTransaction: 500 })
    const a = entries(2500)
    const b = entries(300)
    expect(await write(store, 1, a, 333)).toBe(2500)
    expect(await write(store, 2, b, 333)).toBe(300)
    for (const e of [a[0], a[699], a[700], a[1999], a[2499]]) {
      expect(store.locate(1, e.multihash)).toEqual({ shardId: 1, offset: e.offset, size: e.size })
      expect(store.locate(2, e.multihash)).toBeUndefined()
      expect(store.shardsWith(e.multihash)).toEqual([1])
    }
    expect(store.locateAll(b[17].multihash)).toEqual([{ shardId: 2, offset: b[17].offset, size: b[17].size }])
    expect([...store.entries(1)].map((e) => [hex(e.multihash), e.offset, e.size])).toEqual(a.map((e) => [hex(e.multihash), e.offset, e.size]))
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_index').get()).toEqual({ n: 2800 })
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_pages').get()).toEqual({ n: 7 * 4 + 2 + 4 }) // 94 sha2-256 entries fill a page; a batch never shares one
    store.drop(1)
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_index').get()).toEqual({ n: 300 })
    expect([...store.entries(1)]).toEqual([])
    expect(store.shardsWith(a[5].multihash)).toEqual([])
    expect(store.shardsWith(b[5].multihash)).toEqual([2])
  })

  it('answers only for the exact multihash when blocks share a lookup key', async () => {
    const store = new IndexStore(db)
    // Same first 7 digest bytes (and so the same 53-bit key); one blake2b-256 multihash with that digest too.
    const prefix = [1, 2, 3, 4, 5, 6, 7]
    const twins = [mh(prefix), mh(prefix), mh(prefix)]
    const blake = new Uint8Array([0xa0, 0xe4, 0x02, 0x20, ...twins[0].subarray(2)])
    expect(new Set([...twins, blake].map((m) => lookupKey(m))).size).toBe(1)
    await write(store, 1, [twins[0], twins[1]].map((m, i) => ({ multihash: m, offset: i * 100, size: 10 })))
    await write(store, 2, [twins[1], blake].map((m, i) => ({ multihash: m, offset: i * 100, size: 20 })))
    expect(store.shardsWith(twins[0])).toEqual([1])
    expect(store.shardsWith(twins[1])).toEqual([1, 2])
    expect(store.shardsWith(twins[2])).toEqual([])
    expect(store.shardsWith(blake)).toEqual([2])
    expect(store.locate(1, twins[1])).toEqual({ shardId: 1, offset: 100, size: 10 })
    expect(store.locate(2, twins[0])).toBeUndefined()
    expect(store.locate(2, blake)).toEqual({ shardId: 2, offset: 100, size: 20 })
  })

  it('gives the first copy of a block a CAR repeats', async () => {
    const store = new IndexStore(db, { runSize: 2 })
    const same = mh()
    await write(store, 1, [mh(), same, mh(), same].map((m, i) => ({ multihash: m, offset: i * 100, size: i })), 1)
    expect(store.locate(1, same)).toEqual({ shardId: 1, offset: 100, size: 1 })
    expect(store.locateAll(same)).toEqual([{ shardId: 1, offset: 100, size: 1 }])
    // Both copies in one page this time.
    await write(store, 2, [mh(), same, mh(), same].map((m, i) => ({ multihash: m, offset: i * 100, size: i })), 4)
    expect(store.locate(2, same)).toEqual({ shardId: 2, offset: 100, size: 1 })
    expect(store.locateAll(same)).toEqual([
      { shardId: 1, offset: 100, size: 1 },
      { shardId: 2, offset: 100, size: 1 },
    ])
    store.drop(2)
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_index WHERE shard_id = 2').get()).toEqual({ n: 0 })
  })

  it('refuses entries out of payload order with E_SHARD_INDEX_ORDER', () => {
    const store = new IndexStore(db)
    const w = store.writer(1)
    w.write(EntryBatch.fromEntries(entries(3)))
    expect(() => w.write(EntryBatch.fromEntries([{ multihash: mh(), offset: 59, size: 1 }]))).toThrow(expect.objectContaining({ code: 'E_SHARD_INDEX_ORDER' }))
  })

  it('refuses a block of 4 GiB or more with E_SHARD_BLOCK_TOO_LARGE, and cuts pages short of a 4 GiB span', () => {
    const store = new IndexStore(db)
    expect(() => store.add(1, EntryBatch.fromEntries([{ multihash: mh(), offset: 0, size: 2 ** 32 }]))).toThrow(expect.objectContaining({ code: 'E_SHARD_BLOCK_TOO_LARGE' }))
    const far = [0, 10, 2 ** 32 + 10, 2 ** 32 + 11, 2 ** 45].map((offset) => ({ multihash: mh(), offset, size: 2 ** 32 - 1 }))
    store.add(2, EntryBatch.fromEntries(far))
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_pages WHERE shard_id = 2').get()).toEqual({ n: 3 })
    expect([...store.entries(2)].map((e) => [e.offset, e.size])).toEqual(far.map((e) => [e.offset, e.size]))
    expect(store.locate(2, far[3].multihash)).toEqual({ shardId: 2, offset: 2 ** 32 + 11, size: 2 ** 32 - 1 })
  })

  it.each([100, 5000, 140_000])('orders %i keys by their 32-bit prefix, keeping scan order among equal prefixes', (n) => {
    const keys = new Float64Array(n)
    // A few hundred distinct prefixes so ties are common; low bits random so ties differ below the prefix.
    for (let i = 0; i < n; i++) keys[i] = Math.floor(Math.random() * 300) * 0x800000 * 0x200000 + Math.floor(Math.random() * 0x200000)
    const order = sortByKeyPrefix(keys, n)
    expect(new Set(order).size).toBe(n)
    const prefix = (i: number) => Math.floor(keys[i] / 0x200000)
    for (let k = 1; k < n; k++) {
      expect(prefix(order[k - 1]) <= prefix(order[k])).toBe(true)
      if (prefix(order[k - 1]) === prefix(order[k])) expect(order[k - 1] < order[k]).toBe(true)
    }
  })

  it('raises the WAL checkpoint threshold while any index is written, and restores it after the last', () => {
    const store = new IndexStore(db, { bulkLingerMs: 0 })
    const threshold = () => db.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint').get()!.wal_autocheckpoint
    db.exec('PRAGMA wal_autocheckpoint = 1234')
    const first = store.bulkLoad()
    const second = store.bulkLoad()
    expect(threshold()).toBe(65_536)
    first()
    first()
    expect(threshold()).toBe(65_536)
    second()
    expect(threshold()).toBe(1234)
  })

  it('keeps the raised threshold for a linger after the last index, across back-to-back loads, then checkpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'petal-linger-'))
    const file = openSqlite(join(dir, 'petal.db'))
    try {
      file.exec(DAGSTORE_SCHEMA)
      const store = new IndexStore(file, { bulkLingerMs: 50 })
      const threshold = () => file.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint').get()!.wal_autocheckpoint
      file.exec('PRAGMA wal_checkpoint(TRUNCATE)')
      file.exec('PRAGMA wal_autocheckpoint = 1234')
      store.bulkLoad()()
      expect(threshold()).toBe(65_536)
      // A load starting within the linger keeps it up, and remembers the original setting.
      const again = store.bulkLoad()
      const before = statSync(join(dir, 'petal.db')).size
      store.add(1, EntryBatch.fromEntries(Array.from({ length: 5000 }, (_, i) => ({ multihash: mh(), offset: i * 100, size: 5 }))))
      again()
      expect(threshold()).toBe(65_536)
      expect(statSync(join(dir, 'petal.db')).size).toBe(before) // the new pages are in the WAL only
      await new Promise((r) => setTimeout(r, 150))
      expect(threshold()).toBe(1234)
      expect(statSync(join(dir, 'petal.db')).size).toBeGreaterThan(before) // checkpointed into the database
      // close() ends a pending linger at once.
      store.bulkLoad()()
      expect(threshold()).toBe(65_536)
      store.close()
      expect(threshold()).toBe(1234)
    } finally {
      file.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('fills pages up to PAGE_BYTES, and gives an entry larger than that a page of its own', () => {
    const store = new IndexStore(db)
    const big = new Uint8Array([0x00, 0xa0, 0x27, ...randomBytes(5000)]) // identity, 5000-byte digest
    const list = [mh(), big, mh(), mh()].map((m, i) => ({ multihash: m, offset: i * 10_000, size: 5 }))
    store.add(1, EntryBatch.fromEntries(list))
    const sizes = db.query<{ n: number }>('SELECT length(entries) AS n FROM dagstore_pages ORDER BY first_offset').all().map((r) => r.n)
    expect(sizes).toEqual([16 + 42, 16 + 8 + big.length, 16 + 2 * 42]) // each page's multihashes share a length
    expect(sizes.every((n, i) => i === 1 || n <= PAGE_BYTES)).toBe(true)
    expect(store.locate(1, big)).toEqual({ shardId: 1, offset: 10_000, size: 5 })
  })

  it('keys short and odd multihashes without reading past them', () => {
    expect(lookupKey(new Uint8Array([0x00, 0x00]))).toBe(0)
    expect(lookupKey(new Uint8Array([0x00, 0x01, 0xff]))).toBe(0xff000000 * 0x200000)
    const m = mh()
    const padded = new Uint8Array([9, 9, ...m, 0xff, 0xff])
    expect(lookupKey(padded, 2, 2 + m.length)).toBe(lookupKey(m))
    expect(Number.isSafeInteger(lookupKey(new Uint8Array([0x12, 0x20, ...new Uint8Array(32).fill(0xff)])))).toBe(true)
  })

  it('stores any list of entries and gives it back unchanged (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ mh: fc.uint8Array({ minLength: 2, maxLength: 70 }), gap: fc.integer({ min: 1, max: 2 ** 40 }), size: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        async (list, runSize) => {
          db.exec('DELETE FROM dagstore_index; DELETE FROM dagstore_pages')
          const store = new IndexStore(db, { runSize })
          let offset = 0
          const want = list.map((e) => ({ multihash: e.mh, offset: (offset += e.gap), size: e.size }))
          await write(store, 7, want, 13)
          const got = [...store.entries(7)]
          expect(got.map((e) => [hex(e.multihash), e.offset, e.size])).toEqual(want.map((e) => [hex(e.multihash), e.offset, e.size]))
          for (const e of want) expect(store.locate(7, e.multihash)?.offset).toBe(want.find((x) => hex(x.multihash) === hex(e.multihash))!.offset)
          store.drop(7)
          expect(db.query('SELECT COUNT(*) AS n FROM dagstore_index').get()).toEqual({ n: 0 })
        },
      ),
      { numRuns: 40 },
    )
  })
})
