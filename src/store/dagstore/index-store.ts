/** Index rows in SQLite: bulk inserts in transactions, lookups by multihash, per-shard listing and removal. */
import type { SqlDatabase } from '../sql.ts'
import type { IndexEntry } from './types.ts'

/** Rows per multi-row INSERT statement (SQLite allows 32766 bound variables; 4 per row). */
const ROWS_PER_STATEMENT = 500

/** A block's location in one shard. */
export interface BlockLocation {
  shardId: number
  offset: number
  size: number
}

/** The index tables of the dagstore. */
export class IndexStore {
  readonly #insertMany: string
  constructor(readonly db: SqlDatabase) {
    this.#insertMany = `INSERT INTO dagstore_index (shard_id, multihash, offset, size) VALUES ${Array(ROWS_PER_STATEMENT).fill('(?, ?, ?, ?)').join(', ')}`
  }

  /** Adds a batch of entries for a shard in one transaction. */
  add(shardId: number, entries: readonly IndexEntry[]): void {
    this.db.transaction(() => {
      const many = this.db.query(this.#insertMany)
      const one = this.db.query('INSERT INTO dagstore_index (shard_id, multihash, offset, size) VALUES (?, ?, ?, ?)')
      let i = 0
      const params: unknown[] = new Array(ROWS_PER_STATEMENT * 4)
      for (; i + ROWS_PER_STATEMENT <= entries.length; i += ROWS_PER_STATEMENT) {
        for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
          const e = entries[i + j]
          params[j * 4] = shardId
          params[j * 4 + 1] = e.multihash
          params[j * 4 + 2] = e.offset
          params[j * 4 + 3] = e.size
        }
        many.run(...params)
      }
      for (; i < entries.length; i++) one.run(shardId, entries[i].multihash, entries[i].offset, entries[i].size)
    })()
  }

  /** Removes every entry of a shard. */
  drop(shardId: number): void {
    this.db.query('DELETE FROM dagstore_index WHERE shard_id = ?').run(shardId)
  }

  /** Where `multihash` is in shard `shardId`, if it is there (the first copy when the CAR repeats it). */
  locate(shardId: number, multihash: Uint8Array): BlockLocation | undefined {
    const row = this.db
      .query<{ offset: number; size: number }>('SELECT offset, size FROM dagstore_index WHERE multihash = ? AND shard_id = ? ORDER BY offset LIMIT 1')
      .get(multihash, shardId)
    return row ? { shardId, offset: row.offset, size: row.size } : undefined
  }

  /** Every shard holding `multihash`, with the first location in each. */
  locateAll(multihash: Uint8Array): BlockLocation[] {
    return this.db
      .query<{ shard_id: number; offset: number; size: number }>(
        'SELECT shard_id, MIN(offset) AS offset, size FROM dagstore_index WHERE multihash = ? GROUP BY shard_id',
      )
      .all(multihash)
      .map((r) => ({ shardId: r.shard_id, offset: r.offset, size: r.size }))
  }

  /** Ids of the shards holding `multihash`. */
  shardsWith(multihash: Uint8Array): number[] {
    return this.db
      .query<{ shard_id: number }>('SELECT DISTINCT shard_id FROM dagstore_index WHERE multihash = ?')
      .all(multihash)
      .map((r) => r.shard_id)
  }

  /** A shard's entries in multihash order, in pages (bounded memory). */
  *entries(shardId: number, pageSize = 10_000): Iterable<IndexEntry> {
    let after = -1
    for (;;) {
      const rows = this.db
        .query<{ rowid: number; multihash: Uint8Array; offset: number; size: number }>(
          'SELECT rowid, multihash, offset, size FROM dagstore_index WHERE shard_id = ? AND rowid > ? ORDER BY rowid LIMIT ?',
        )
        .all(shardId, after, pageSize)
      for (const r of rows) yield { multihash: r.multihash, offset: r.offset, size: r.size }
      if (rows.length < pageSize) return
      after = rows[rows.length - 1].rowid
    }
  }
}
