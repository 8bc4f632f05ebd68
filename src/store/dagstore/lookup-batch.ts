/**
 * Group commits of small shards' lookup rows. Inserting one shard's thousand random keys into a lookup
 * table of millions dirties about a thousand B-tree pages, each written to the WAL at commit: for small
 * shards that was nearly 90 % of indexing. Rows of shards indexed back to back are instead gathered here
 * and inserted together, sorted by key, in one transaction, so a B-tree page is written once per group.
 * Each shard waits for the commit that holds its rows before it becomes Available; until then it stays
 * Initializing, which a restart re-drives, so a crash loses nothing (its pages are dropped and rebuilt).
 */
import type { SqlDatabase } from '../sql.ts'
import type { LookupRows } from './index-store.ts'
import { sortByKeyPrefix } from './key-sort.ts'

/** Rows per multi-row INSERT (three bound values each). */
const ROWS_PER_STATEMENT = 300

const MANY_ROWS = `INSERT OR IGNORE INTO dagstore_index (key, shard_id, page_id) VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => '(?, ?, ?)').join(', ')}`

interface Waiting {
  rows: LookupRows
  resolve: () => void
  reject: (err: unknown) => void
}

/** Lookup rows of several shards waiting for one commit. */
export class LookupBatch {
  #waiting: Waiting[] = []
  #rows = 0
  #flushPending = false

  /** Commits by itself once `flushRows` rows wait (the caller flushes earlier when nothing else is indexing). */
  constructor(
    readonly db: SqlDatabase,
    readonly flushRows: number = 1 << 18,
  ) {}

  /** Rows waiting. */
  get rows(): number {
    return this.#rows
  }

  /** Queues a shard's rows; resolves once they are committed, rejects if that commit fails. */
  add(rows: LookupRows): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.#waiting.push({ rows, resolve, reject }))
    this.#rows += rows.keys.length
    if (this.#rows >= this.flushRows) this.flush()
    return done
  }

  /**
   * Flushes on a later turn if `idle()` says nothing is indexing then; checked a turn later, so a caller
   * that starts the next shard as soon as one is released (initialize-all) keeps the group open.
   */
  flushWhenIdle(idle: () => boolean): void {
    if (this.#flushPending) return
    this.#flushPending = true
    setImmediate(() => {
      this.#flushPending = false
      if (idle()) this.flush()
    })
  }

  /** Inserts every waiting row in key order in one transaction, and settles the shards waiting on it. */
  flush(): void {
    const group = this.#waiting
    if (group.length === 0) return
    this.#waiting = []
    const n = this.#rows
    this.#rows = 0
    try {
      const keys = new Float64Array(n)
      const shards = new Float64Array(n)
      const pageIds = new Float64Array(n)
      let at = 0
      for (const { rows } of group) {
        keys.set(rows.keys, at)
        pageIds.set(rows.pageIds, at)
        shards.fill(rows.shardId, at, at + rows.keys.length)
        at += rows.keys.length
      }
      const order = sortByKeyPrefix(keys, n)
      const many = this.db.query(MANY_ROWS)
      const one = this.db.query('INSERT OR IGNORE INTO dagstore_index (key, shard_id, page_id) VALUES (?, ?, ?)')
      this.db.transaction(() => {
        const params: number[] = new Array(ROWS_PER_STATEMENT * 3)
        let i = 0
        for (; i + ROWS_PER_STATEMENT <= n; i += ROWS_PER_STATEMENT) {
          bindRows(params, order, keys, shards, pageIds, i)
          many.run(...params)
        }
        for (; i < n; i++) one.run(keys[order[i]], shards[order[i]], pageIds[order[i]])
      })()
    } catch (err) {
      for (const w of group) w.reject(err)
      return
    }
    for (const w of group) w.resolve()
  }
}

/** The parameters of one multi-row INSERT from sorted position `i` (small, so the JIT compiles it early). */
function bindRows(params: number[], order: Uint32Array, keys: Float64Array, shards: Float64Array, pageIds: Float64Array, i: number): void {
  for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
    const at = order[i + j]
    params[j * 3] = keys[at]
    params[j * 3 + 1] = shards[at]
    params[j * 3 + 2] = pageIds[at]
  }
}
