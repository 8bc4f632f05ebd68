import { EntryBatch } from '../../../store/dagstore/entry-batch.ts'
import { IndexStore } from '../../../store/dagstore/index-store.ts'
import type { SqlDatabase } from '../../../store/sql.ts'
import type { Migration } from '../types.ts'

/** Rows of the old index read per step while carrying a shard over. */
const CHUNK = 50_000

/**
 * The dagstore's index as pages of entries plus a narrow lookup table (src/store/dagstore/index-page.ts),
 * which indexes small-block shards many times faster than one multihash-keyed row per block. Every shard's
 * rows are carried over in payload order (a repeated offset keeps its first row).
 */
export const m0004: Migration = {
  version: 4,
  name: 'dagstore-pages',
  up: (db) => {
    db.exec(`
      ALTER TABLE dagstore_index RENAME TO dagstore_index_0002;
      CREATE INDEX dagstore_index_0002_by_offset ON dagstore_index_0002 (shard_id, offset);
      CREATE TABLE dagstore_pages (
        id INTEGER PRIMARY KEY,
        shard_id INTEGER NOT NULL,
        first_offset INTEGER NOT NULL,
        entries BLOB NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX dagstore_pages_by_shard ON dagstore_pages (shard_id, first_offset);
      CREATE TABLE dagstore_index (
        key INTEGER NOT NULL,
        shard_id INTEGER NOT NULL,
        page_id INTEGER NOT NULL,
        PRIMARY KEY (key, shard_id, page_id)
      ) STRICT, WITHOUT ROWID;
    `)
    const store = new IndexStore(db)
    const shards = db.query('SELECT DISTINCT shard_id FROM dagstore_index_0002 ORDER BY shard_id').values() as Array<[number]>
    for (const [shardId] of shards) carryOver(db, store, shardId)
    db.exec('DROP TABLE dagstore_index_0002')
  },
}

function carryOver(db: SqlDatabase, store: IndexStore, shardId: number): void {
  const read = db.query('SELECT multihash, offset, size FROM dagstore_index_0002 WHERE shard_id = ? AND offset > ? ORDER BY offset, rowid LIMIT ?')
  const writer = store.writer(shardId)
  let after = -1
  for (;;) {
    const rows = read.values(shardId, after, CHUNK) as Array<[Uint8Array, number, number]>
    const batch = new EntryBatch(Math.max(1, rows.length))
    for (const [mh, offset, size] of rows) {
      if (offset <= after) continue
      batch.push(mh, 0, mh.length, offset, size)
      after = offset
    }
    writer.write(batch)
    while (writer.step());
    if (rows.length < CHUNK) break
  }
  writer.end()
  while (writer.step());
}
