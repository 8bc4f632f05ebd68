/**
 * A shard's index in SQLite (index-page.ts): pages of full entries in payload order, and one narrow lookup
 * row per block naming the page that holds it. Pages are written per scanned batch; lookup rows are
 * gathered into runs of up to 2^20, sorted by key and inserted in key order, so each B-tree page of the
 * lookup table is rewritten about once per run instead of once per batch. Pages always land before their
 * lookup rows: removing a shard walks its pages, so a crash mid-index leaves nothing `drop` cannot find.
 */
import type { SqlDatabase } from '../sql.ts'
import type { EntryBatch } from './entry-batch.ts'
import { ShardBlockTooLargeError, ShardIndexOrderError } from './errors.ts'
import { encodePage, ENTRIES_PER_PAGE, lookupKey, PAGE_BYTES, PAGE_U32_MAX, pageBytes, PageView } from './index-page.ts'
import { MAX_RUN, sortByKeyPrefix } from './key-sort.ts'
import type { IndexEntry } from './types.ts'

/** Rows per multi-row INSERT of lookup rows (2 bound values each, the shard id once). */
const ROWS_PER_STATEMENT = 500
/** WAL pages (4 KiB) allowed to pile up before a checkpoint while shards are indexed: 256 MiB. */
const BULK_AUTOCHECKPOINT = 65_536

/** Binds the shard id once and two values per row: fewer bindings than three per row. */
const MANY_LOOKUP_ROWS = `INSERT OR IGNORE INTO dagstore_index (key, shard_id, page_id) SELECT column1, ?1, column2 FROM (VALUES ${Array.from(
  { length: ROWS_PER_STATEMENT },
  (_, j) => `(?${2 + j * 2}, ?${3 + j * 2})`,
).join(', ')})`

/** One shard's lookup rows, not yet inserted: key and page id per block. */
export interface LookupRows {
  shardId: number
  keys: Float64Array
  pageIds: Float64Array
}

/** A block's location in one shard. */
export interface BlockLocation {
  shardId: number
  offset: number
  size: number
}

/** Tuning of the index store (defaults suit a node; tests shrink them to cross boundaries). */
export interface IndexStoreOptions {
  /** Lookup rows sorted and inserted together (default and cap 2^20). */
  runSize?: number
  /** Lookup rows per transaction while a run is inserted; callers yield to the event loop between. */
  rowsPerTransaction?: number
  /**
   * Milliseconds the raised WAL checkpoint threshold outlives the last index written (default 2000; 0 ends
   * it at once), so shards indexed back to back share checkpoints instead of paying one each.
   */
  bulkLingerMs?: number
}

/** The index tables of the dagstore. */
export class IndexStore {
  readonly #runSize: number
  readonly #rowsPerTransaction: number
  readonly #linger: number
  #bulkLoads = 0
  /** Whether the raised threshold is in force (from the first load until the linger after the last). */
  #bulkMode = false
  #lingerTimer: ReturnType<typeof setTimeout> | undefined
  #autocheckpoint = 0

  constructor(
    readonly db: SqlDatabase,
    options: IndexStoreOptions = {},
  ) {
    this.#runSize = Math.max(1, Math.min(MAX_RUN, options.runSize ?? MAX_RUN))
    this.#rowsPerTransaction = Math.max(ROWS_PER_STATEMENT, options.rowsPerTransaction ?? 1 << 18)
    this.#linger = Math.max(0, options.bulkLingerMs ?? 2000)
  }

  /** Starts writing the index of a shard whose rows were dropped. */
  writer(shardId: number): ShardIndexWriter {
    return new ShardIndexWriter(this.db, shardId, this.#runSize, this.#rowsPerTransaction)
  }

  /**
   * Marks an index being written until the returned function is called. Meanwhile SQLite checkpoints the
   * WAL every 256 MiB instead of every 4 MiB (its default), so the pages an index writes and rewrites are
   * copied to the database once, with two fsyncs, instead of a checkpoint per batch. Durability does not
   * change: a crash replays the WAL. The raised threshold outlives the last load by `bulkLingerMs`, so many
   * small shards indexed back to back (initialize-all) share checkpoints: 1000 shards of 1000 blocks went
   * from 88 to 141 shards/s. Then the old setting returns and what piled up is checkpointed, while idle.
   */
  bulkLoad(): () => void {
    if (this.#bulkLoads++ === 0) {
      clearTimeout(this.#lingerTimer)
      this.#lingerTimer = undefined
      if (!this.#bulkMode) {
        const row = this.db.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint').get()
        this.#autocheckpoint = row?.wal_autocheckpoint ?? 1000
        this.db.exec(`PRAGMA wal_autocheckpoint = ${BULK_AUTOCHECKPOINT}`)
        this.#bulkMode = true
      }
    }
    let ended = false
    return () => {
      if (ended) return
      ended = true
      if (--this.#bulkLoads > 0) return
      if (this.#linger === 0) return this.#endBulkMode(false)
      this.#lingerTimer = setTimeout(() => {
        this.#lingerTimer = undefined
        try {
          this.#endBulkMode(true)
        } catch {
          // The database was closed meanwhile without `close()`: the WAL still holds everything.
        }
      }, this.#linger)
      this.#lingerTimer.unref?.()
    }
  }

  /** Ends a lingering raised threshold now (before the database is closed). */
  close(): void {
    clearTimeout(this.#lingerTimer)
    this.#lingerTimer = undefined
    if (this.#bulkLoads === 0) this.#endBulkMode(false)
  }

  #endBulkMode(checkpoint: boolean): void {
    if (!this.#bulkMode) return
    this.#bulkMode = false
    this.db.exec(`PRAGMA wal_autocheckpoint = ${this.#autocheckpoint}`)
    if (checkpoint) this.db.exec('PRAGMA wal_checkpoint(PASSIVE)')
  }

  /** Writes a whole batch for a shard at once (synchronous; for migrations and tests). */
  add(shardId: number, batch: EntryBatch): number {
    const w = this.writer(shardId)
    w.write(batch)
    w.end()
    while (w.step());
    return w.count
  }

  /** Removes every entry of a shard: its lookup rows (found through its pages), then its pages. */
  drop(shardId: number): void {
    this.db.transaction(() => {
      const del = this.db.query('DELETE FROM dagstore_index WHERE key = ? AND shard_id = ? AND page_id = ?')
      for (const [pageId, page] of this.#pages(shardId)) {
        for (let i = 0; i < page.count; i++) del.run(lookupKey(page.multihash(i)), shardId, pageId)
      }
      this.db.query('DELETE FROM dagstore_pages WHERE shard_id = ?').run(shardId)
    })()
  }

  /** Where `multihash` is in shard `shardId`, if it is there (the first copy when the CAR repeats it). */
  locate(shardId: number, multihash: Uint8Array): BlockLocation | undefined {
    const rows = this.db.query('SELECT page_id FROM dagstore_index WHERE key = ? AND shard_id = ? ORDER BY page_id').values(lookupKey(multihash), shardId) as Array<[number]>
    for (const [pageId] of rows) {
      const entries = this.#page(shardId, pageId)
      const found = entries && confirm(shardId, entries, multihash)
      if (found) return found
    }
    return undefined
  }

  /** Every shard holding `multihash`, with the first location in each, by shard id. */
  locateAll(multihash: Uint8Array): BlockLocation[] {
    const rows = this.db.query('SELECT shard_id, page_id FROM dagstore_index WHERE key = ? ORDER BY shard_id, page_id').values(lookupKey(multihash)) as Array<[number, number]>
    const out: BlockLocation[] = []
    for (const [shardId, pageId] of rows) {
      if (out.at(-1)?.shardId === shardId) continue
      const entries = this.#page(shardId, pageId)
      const found = entries && confirm(shardId, entries, multihash)
      if (found) out.push(found)
    }
    return out
  }

  /**
   * The encoded entries of page `pageId` when it belongs to shard `shardId` (ids of dropped pages can be
   * reused by another shard's). The lookup row and then its page, as two point queries, take about 1 µs
   * together here; one JOIN of the two took 5-7 µs.
   */
  #page(shardId: number, pageId: number): Uint8Array | undefined {
    const row = this.db.query('SELECT shard_id, entries FROM dagstore_pages WHERE id = ?').values(pageId)[0] as [number, Uint8Array] | undefined
    return row !== undefined && row[0] === shardId ? row[1] : undefined
  }

  /** Ids of the shards holding `multihash`. */
  shardsWith(multihash: Uint8Array): number[] {
    return this.locateAll(multihash).map((l) => l.shardId)
  }

  /** A shard's entries in payload order, a page at a time (bounded memory). */
  *entries(shardId: number): Iterable<IndexEntry> {
    for (const [, page] of this.#pages(shardId)) {
      for (let i = 0; i < page.count; i++) yield { multihash: page.multihash(i).slice(), offset: page.offset(i), size: page.size(i) }
    }
  }

  /** The shard's pages (with their ids) in payload order, read 256 rows at a time. */
  *#pages(shardId: number): Iterable<[number, PageView]> {
    let after = -1
    for (;;) {
      const rows = this.db
        .query('SELECT first_offset, id, entries FROM dagstore_pages WHERE shard_id = ? AND first_offset > ? ORDER BY first_offset LIMIT 256')
        .values(shardId, after) as Array<[number, number, Uint8Array]>
      for (const [, id, bytes] of rows) yield [id, new PageView(bytes)]
      if (rows.length < 256) return
      after = rows[rows.length - 1][0]
    }
  }
}

/** The first entry of an encoded page that is `multihash`, as a location in the shard. */
function confirm(shardId: number, entries: Uint8Array, multihash: Uint8Array): BlockLocation | undefined {
  const page = new PageView(entries)
  const i = page.indexOf(multihash)
  return i >= 0 ? { shardId, offset: page.offset(i), size: page.size(i) } : undefined
}

/**
 * Writes one shard's index: `write` each batch (its pages are committed at once), then `end`; `step`
 * inserts the next transaction's worth of a sorted run and says whether more remains, so an async caller
 * can yield between steps. The lookup rows of a run are pending until its steps are done.
 */
export class ShardIndexWriter {
  /** Entries written so far. */
  count = 0
  #keys: Float64Array
  /** The page holding each gathered entry. */
  #pageIds: Float64Array
  #n = 0
  #last = -1
  /** The run being inserted: positions in key order, and how many are in. */
  #order: Uint32Array | undefined
  #done = 0
  #runKeys: Float64Array | undefined
  #runPageIds: Float64Array | undefined

  constructor(
    readonly db: SqlDatabase,
    readonly shardId: number,
    readonly runSize: number,
    readonly rowsPerTransaction: number,
  ) {
    const initial = Math.min(runSize, 1 << 14)
    this.#keys = new Float64Array(initial)
    this.#pageIds = new Float64Array(initial)
  }

  /** Commits the batch's pages and gathers its lookup keys; a full run is sealed for `step`. */
  write(batch: EntryBatch): void {
    if (batch.count === 0) return
    const count = batch.count
    for (let i = 0; i < count; i++) {
      const offset = batch.offsets[i]
      if (!(offset > this.#last)) throw new ShardIndexOrderError(offset, this.#last)
      if (!(batch.sizes[i] <= PAGE_U32_MAX)) throw new ShardBlockTooLargeError(offset, batch.sizes[i])
      this.#last = offset
    }
    const insert = this.db.query('INSERT INTO dagstore_pages (shard_id, first_offset, entries) VALUES (?, ?, ?)')
    const pageIds = new Float64Array(count)
    this.db.transaction(() => {
      for (let from = 0; from < count; ) {
        const first = batch.offsets[from]
        let to = from + 1
        const length = batch.ends[from] - batch.start(from)
        let total = length
        let uniform = true
        for (; to < count && to - from < ENTRIES_PER_PAGE && batch.offsets[to] - first <= PAGE_U32_MAX; to++) {
          const next = batch.ends[to] - batch.ends[to - 1]
          const same: boolean = uniform && next === length
          if (pageBytes(to - from + 1, total + next, same) > PAGE_BYTES) break
          total += next
          uniform = same
        }
        pageIds.fill(Number(insert.run(this.shardId, first, encodePage(batch, from, to)).lastInsertRowid), from, to)
        from = to
      }
    })()
    for (let i = 0; i < batch.count; i++) {
      if (this.#n === this.runSize) this.#seal()
      if (this.#n === this.#keys.length) this.#grow()
      this.#keys[this.#n] = lookupKey(batch.bytes, batch.start(i), batch.ends[i])
      this.#pageIds[this.#n] = pageIds[i]
      this.#n++
    }
    this.count += batch.count
    if (this.#n === this.runSize) this.#seal()
  }

  /**
   * A small shard's lookup rows, taken out for a group commit with other shards' (./lookup-batch.ts)
   * instead of `end` and `step`: only when every row is still gathered (no run sealed) and there are at
   * most `limit` of them; otherwise undefined and nothing changes.
   */
  detachSmall(limit: number): LookupRows | undefined {
    const n = this.#n
    if (this.#order !== undefined || this.count !== n || n > limit) return undefined
    const rows = { shardId: this.shardId, keys: this.#keys.subarray(0, n), pageIds: this.#pageIds.subarray(0, n) }
    this.#keys = new Float64Array(0)
    this.#pageIds = new Float64Array(0)
    this.#n = 0
    return rows
  }

  /** Seals what is gathered as the last run. */
  end(): void {
    if (this.#n > 0) this.#seal()
  }

  /** Inserts up to one transaction of the sealed run; true while rows of it remain. */
  step(): boolean {
    const order = this.#order
    if (!order) return false
    const keys = this.#runKeys!
    const pageIds = this.#runPageIds!
    const end = Math.min(order.length, this.#done + this.rowsPerTransaction)
    // A block repeated within one page gives one row (the page lists both copies, the first is used).
    const many = this.db.query(MANY_LOOKUP_ROWS)
    const one = this.db.query('INSERT OR IGNORE INTO dagstore_index (key, shard_id, page_id) VALUES (?, ?, ?)')
    const shardId = this.shardId
    this.db.transaction(() => {
      const params: number[] = new Array(1 + ROWS_PER_STATEMENT * 2)
      params[0] = shardId
      let i = this.#done
      for (; i + ROWS_PER_STATEMENT <= end; i += ROWS_PER_STATEMENT) {
        bindRows(params, order, keys, pageIds, i)
        many.run(...params)
      }
      for (; i < end; i++) one.run(keys[order[i]], shardId, pageIds[order[i]])
    })()
    this.#done = end
    if (end < order.length) return true
    this.#order = this.#runKeys = this.#runPageIds = undefined
    return false
  }

  /** Sorts the gathered keys into a run for `step` (finishing any run still pending first). */
  #seal(): void {
    while (this.step());
    const n = this.#n
    const order = sortByKeyPrefix(this.#keys, n)
    this.#order = order
    this.#done = 0
    this.#runKeys = this.#keys.subarray(0, n)
    this.#runPageIds = this.#pageIds.subarray(0, n)
    const capacity = Math.min(this.runSize, 1 << 14)
    this.#keys = new Float64Array(capacity)
    this.#pageIds = new Float64Array(capacity)
    this.#n = 0
  }

  #grow(): void {
    const capacity = Math.min(this.runSize, this.#keys.length * 2)
    const keys = new Float64Array(capacity)
    keys.set(this.#keys)
    const pageIds = new Float64Array(capacity)
    pageIds.set(this.#pageIds)
    this.#keys = keys
    this.#pageIds = pageIds
  }
}

/** Fills the parameters of one multi-row lookup INSERT from run position `i` (a small function the JIT compiles early). */
function bindRows(params: number[], order: Uint32Array, keys: Float64Array, pageIds: Float64Array, i: number): void {
  for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
    const at = order[i + j]
    params[1 + j * 2] = keys[at]
    params[2 + j * 2] = pageIds[at]
  }
}
