import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS, migrateDatabase, schemaVersion } from '../../../src/node/db/index.ts'
import { openSqlite } from '../../../src/node/runtime/index.ts'
import { DAGSTORE_SCHEMA, IndexStore } from '../../../src/store/dagstore/index.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const mh = () => new Uint8Array([0x12, 0x20, ...randomBytes(32)])

/** The dagstore tables and indexes as SQLite stores them, whitespace folded. */
function dagstoreSchema(db: ReturnType<typeof openSqlite>): string[] {
  return (db.query("SELECT sql FROM sqlite_master WHERE name LIKE 'dagstore%' AND sql IS NOT NULL ORDER BY name").values() as Array<[string]>).map(([sql]) =>
    sql.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')'),
  )
}

describe('migration 0004 (dagstore index pages)', () => {
  it('leaves the same dagstore tables as DAGSTORE_SCHEMA', () => {
    const migrated = openSqlite(':memory:')
    migrateDatabase(migrated)
    const fresh = openSqlite(':memory:')
    fresh.exec(DAGSTORE_SCHEMA)
    expect(dagstoreSchema(migrated)).toEqual(dagstoreSchema(fresh))
    migrated.close()
    fresh.close()
  })

  it('carries every shard’s rows over in payload order, keeping the first of a repeated offset', () => {
    const db = openSqlite(':memory:')
    migrateDatabase(db, MIGRATIONS.slice(0, 3))
    const shard = db.query("INSERT INTO dagstore_shards (key, mount_url, state, registered_at, entries) VALUES (?, 'file:///x', 'ShardStateAvailable', 'now', ?)")
    const a = Number(shard.run('a', 3).lastInsertRowid)
    const b = Number(shard.run('b', 60_001).lastInsertRowid)
    shard.run('empty', 0)
    const insert = db.query('INSERT INTO dagstore_index (shard_id, multihash, offset, size) VALUES (?, ?, ?, ?)')
    const shared = mh()
    const rowsA = [
      { multihash: mh(), offset: 300, size: 3 },
      { multihash: shared, offset: 59, size: 1 },
      { multihash: mh(), offset: 120, size: 2 },
    ]
    for (const r of rowsA) insert.run(a, r.multihash, r.offset, r.size)
    insert.run(a, mh(), 120, 9) // a second row at an offset already taken: the first one stays
    // More rows than one carry-over chunk.
    const rowsB = Array.from({ length: 60_001 }, (_, i) => ({ multihash: i === 777 ? shared : mh(), offset: 10 + i * 50, size: i % 100 }))
    db.transaction(() => rowsB.forEach((r) => insert.run(b, r.multihash, r.offset, r.size)))()

    expect(migrateDatabase(db, MIGRATIONS.slice(0, 4))).toEqual([4])
    expect(schemaVersion(db)).toBe(4)
    expect(db.query("SELECT COUNT(*) AS n FROM sqlite_master WHERE name LIKE 'dagstore_index_0002%'").get()).toEqual({ n: 0 })
    const store = new IndexStore(db)
    const list = (id: number) => [...store.entries(id)].map((e) => [hex(e.multihash), e.offset, e.size])
    expect(list(a)).toEqual([...rowsA].sort((x, y) => x.offset - y.offset).map((e) => [hex(e.multihash), e.offset, e.size]))
    expect(list(b)).toEqual(rowsB.map((e) => [hex(e.multihash), e.offset, e.size]))
    expect(store.shardsWith(shared)).toEqual([a, b])
    expect(store.locate(b, rowsB[60_000].multihash)).toEqual({ shardId: b, offset: rowsB[60_000].offset, size: rowsB[60_000].size })
    expect(db.query('SELECT COUNT(*) AS n FROM dagstore_index').get()).toEqual({ n: 3 + 60_001 })
    db.close()
  })
})
