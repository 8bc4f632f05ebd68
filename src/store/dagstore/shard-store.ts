/** Shard rows in SQLite: every state change is written before it is acted on. */
import type { SqlDatabase } from '../sql.ts'
import type { ShardRecord, ShardState } from './types.ts'

interface Row {
  id: number
  key: string
  mount_url: string
  state: ShardState
  error: string
  lazy: number
  data_offset: number
  entries: number
  registered_at: string
  indexed_at: string | null
}

const COLUMNS = 'id, key, mount_url, state, error, lazy, data_offset, entries, registered_at, indexed_at'

/** Reads and writes shard rows. `refs` lives in memory only (readers do not survive a restart). */
export class ShardStore {
  constructor(readonly db: SqlDatabase) {}

  insert(key: string, mountUrl: string, lazy: boolean): ShardRecord {
    const now = new Date().toISOString()
    const r = this.db
      .query('INSERT INTO dagstore_shards (key, mount_url, state, lazy, registered_at) VALUES (?, ?, ?, ?, ?)')
      .run(key, mountUrl, 'ShardStateNew', lazy ? 1 : 0, now)
    return { id: Number(r.lastInsertRowid), key, mountUrl, state: 'ShardStateNew', error: '', lazy, refs: 0, dataOffset: 0, entries: 0, registeredAt: now, indexedAt: null }
  }

  get(key: string): ShardRecord | undefined {
    const row = this.db.query<Row>(`SELECT ${COLUMNS} FROM dagstore_shards WHERE key = ?`).get(key)
    return row ? fromRow(row) : undefined
  }

  /** Every shard, sorted by key (as Lotus sorts `DagstoreListShards`). */
  all(): ShardRecord[] {
    return this.db.query<Row>(`SELECT ${COLUMNS} FROM dagstore_shards ORDER BY key`).all().map(fromRow)
  }

  setState(id: number, state: ShardState, error = ''): void {
    this.db.query('UPDATE dagstore_shards SET state = ?, error = ? WHERE id = ?').run(state, error, id)
  }

  setIndexed(id: number, dataOffset: number, entries: number, roots: string[]): void {
    this.db
      .query('UPDATE dagstore_shards SET data_offset = ?, entries = ?, roots = ?, indexed_at = ? WHERE id = ?')
      .run(dataOffset, entries, JSON.stringify(roots), new Date().toISOString(), id)
  }

  roots(id: number): string[] {
    const row = this.db.query<{ roots: string }>('SELECT roots FROM dagstore_shards WHERE id = ?').get(id)
    return row ? (JSON.parse(row.roots) as string[]) : []
  }

  delete(id: number): void {
    this.db.query('DELETE FROM dagstore_shards WHERE id = ?').run(id)
  }
}

function fromRow(r: Row): ShardRecord {
  return {
    id: r.id,
    key: r.key,
    mountUrl: r.mount_url,
    state: r.state,
    error: r.error,
    lazy: r.lazy === 1,
    refs: 0,
    dataOffset: r.data_offset,
    entries: r.entries,
    registeredAt: r.registered_at,
    indexedAt: r.indexed_at,
  }
}
