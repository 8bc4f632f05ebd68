/**
 * The dagstore: one shard per deal piece, indexed into SQLite, served as blocks. States and transitions
 * follow go-dagstore (New → Initializing → Available ⇄ Serving; Errored → Recovering → Available), every
 * change persisted before it is acted on. Unlike go-dagstore, a restart drives shards left Initializing or
 * Recovering again, and destroying a shard removes its index and lookup entries too.
 */
import type { CID } from 'multiformats/cid'
import type { SqlDatabase } from '../sql.ts'
import { readBlockAt } from './block-reader.ts'
import { ShardBusyError, ShardErroredError, ShardExistsError, ShardIndexError, ShardNotFoundError, ShardStateError } from './errors.ts'
import { IndexStore, type IndexStoreOptions } from './index-store.ts'
import { LookupBatch } from './lookup-batch.ts'
import { ReaderCache } from './reader-cache.ts'
import type { MountResolver } from './mounts/registry.ts'
import { writeShardIndex, type WrittenIndex } from './shard-indexer.ts'
import { ShardStore } from './shard-store.ts'
import { Throttle } from './throttle.ts'
import type { IndexEntry, Mount, MountReader, ShardInfo, ShardRecord, ShardScanner, ShardState } from './types.ts'

/** What the dagstore is built from. */
export interface DagstoreOptions {
  db: SqlDatabase
  resolveMount: MountResolver
  /** Lists a mount's blocks (the CAR layer's scanner). */
  scan: ShardScanner
  /** Shards indexed at once; the rest queue (go-dagstore's MaxConcurrentIndex; default 5, 0 = unlimited). */
  maxConcurrentIndex?: number
  /** Idle shards whose readers stay open for fast block reads. */
  openReaders?: number
  /** Reports notable events (the node logs them). */
  onEvent?: (event: DagstoreEvent) => void
  /** Tuning of the index tables (run size, rows per transaction). */
  index?: IndexStoreOptions
}

/** Something worth logging. */
export interface DagstoreEvent {
  level: 'info' | 'warn' | 'error'
  msg: string
  key?: string
  error?: unknown
  [field: string]: unknown
}

/** A shard held open for reading; `close` releases it. */
export interface ShardAccessor {
  readonly key: string
  readonly reader: MountReader
  /** Where the CARv1 payload starts in the mount. */
  readonly dataOffset: number
  readonly roots: string[]
  /** Where a block is in this shard. */
  locate(multihash: Uint8Array): { offset: number; size: number } | undefined
  /** Reads and verifies a block of this shard, or undefined if the shard does not hold it. */
  get(cid: CID): Uint8Array | undefined
  close(): void
}

/** One result of `gc`, in Lotus's shape. */
export interface GcResult {
  Key: string
  Success: boolean
  Error: string
}

/** The dagstore over one SQLite database. */
export class Dagstore {
  readonly #shards: ShardStore
  readonly #index: IndexStore
  readonly #opts: DagstoreOptions
  readonly #throttle: Throttle
  /** Records of shards with live state (refs), by key; loaded lazily from SQLite. */
  readonly #live = new Map<string, ShardRecord>()
  readonly #keyById = new Map<number, string>()
  readonly #inflight = new Map<string, Promise<void>>()
  readonly #readers: ReaderCache
  readonly #recoverOnAcquire = new Set<string>()
  readonly #lookups: LookupBatch

  constructor(opts: DagstoreOptions) {
    this.#opts = opts
    this.#shards = new ShardStore(opts.db)
    this.#index = new IndexStore(opts.db, opts.index)
    this.#throttle = new Throttle(opts.maxConcurrentIndex ?? 5)
    this.#readers = new ReaderCache(opts.openReaders ?? 64)
    this.#lookups = new LookupBatch(opts.db)
  }

  /** The index store, for exports and lookups across shards. */
  get index(): IndexStore {
    return this.#index
  }

  /**
   * Brings persisted shards back after a restart: Serving with no readers becomes Available, shards left
   * Initializing or Recovering are indexed again (go-dagstore leaves them stuck), Errored shards recover on
   * their next acquire (as Lotus configures go-dagstore).
   */
  async start(): Promise<void> {
    const again: Array<Promise<void>> = []
    for (const rec of this.#shards.all()) {
      // Rows written before Serving stopped being stored.
      if (rec.state === 'ShardStateServing') this.#shards.setState(rec.id, 'ShardStateAvailable', rec.error)
      else if (rec.state === 'ShardStateErrored') this.#recoverOnAcquire.add(rec.key)
      else if (rec.state === 'ShardStateInitializing' || rec.state === 'ShardStateRecovering') {
        this.#emit({ level: 'info', msg: 'resuming interrupted shard indexing', key: rec.key, state: rec.state })
        again.push(this.#index_(this.#record(rec.key), rec.state === 'ShardStateRecovering').catch(() => {}))
      }
    }
    await Promise.all(again)
  }

  /** Every shard, sorted by key. */
  list(): ShardInfo[] {
    return this.#shards.all().map((r) => this.#info(this.#live.get(r.key) ?? r))
  }

  /** One shard's info. */
  info(key: string): ShardInfo {
    return this.#info(this.#record(key))
  }

  /** The full record (mount, offsets, entry count). */
  record(key: string): ShardRecord {
    return { ...this.#record(key) }
  }

  /** Whether a shard exists. */
  has(key: string): boolean {
    return this.#live.has(key) || this.#shards.get(key) !== undefined
  }

  /** Registers a shard; eager registration waits until it is indexed (and fails if indexing fails). */
  async register(key: string, mount: Mount, options: { lazy?: boolean } = {}): Promise<ShardInfo> {
    if (this.has(key)) throw new ShardExistsError(key)
    const rec = this.#shards.insert(key, mount.url, options.lazy ?? false)
    this.#live.set(key, rec)
    this.#keyById.set(rec.id, key)
    this.#emit({ level: 'info', msg: 'registered shard', key, mount: mount.url, lazy: rec.lazy })
    if (!rec.lazy) await this.#index_(rec, false)
    return this.#info(rec)
  }

  /**
   * Indexes a New shard (Lotus's DagstoreInitializeShard). `released` is called once the shard no longer holds an indexing slot: scanned and written, its lookup
   * rows perhaps still waiting for a group commit (initialize-all moves on to the next shard then).
   */
  async initialize(key: string, options: { signal?: AbortSignal; released?: () => void } = {}): Promise<void> {
    const rec = this.#record(key)
    if (rec.state !== 'ShardStateNew') throw new ShardStateError(key, rec.state, 'initialize', 'ShardStateNew')
    await this.#index_(rec, false, options.signal, options.released)
  }

  /** Re-indexes an Errored shard. */
  async recover(key: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const rec = this.#record(key)
    if (rec.state !== 'ShardStateErrored') throw new ShardStateError(key, rec.state, 'recover', 'ShardStateErrored')
    await this.#index_(rec, true, options.signal)
  }

  /** Opens a shard for reading; a New (lazy) shard is indexed first, an Errored one recovered once after restart. */
  async acquire(key: string, options: { signal?: AbortSignal } = {}): Promise<ShardAccessor> {
    let rec = this.#record(key)
    if (rec.state === 'ShardStateNew') await this.#index_(rec, false, options.signal)
    else if (this.#inflight.has(key)) await this.#inflight.get(key)
    else if (rec.state === 'ShardStateErrored') {
      if (!this.#recoverOnAcquire.delete(key)) throw new ShardErroredError(key, rec.error)
      await this.#index_(rec, true, options.signal)
    }
    rec = this.#record(key)
    if (rec.state !== 'ShardStateAvailable' && rec.state !== 'ShardStateServing') throw new ShardErroredError(key, rec.error || rec.state)
    rec.refs++
    if (rec.state === 'ShardStateAvailable') this.#setState(rec, 'ShardStateServing')
    let reader: MountReader
    try {
      reader = await this.#openReader(rec)
    } catch (err) {
      this.#release(rec)
      throw err
    }
    let closed = false
    const roots = this.#shards.roots(rec.id)
    return {
      key,
      reader,
      dataOffset: rec.dataOffset,
      roots,
      locate: (mh) => this.#index.locate(rec.id, mh),
      get: (cid) => {
        const at = this.#index.locate(rec.id, cid.multihash.bytes)
        return at ? readBlockAt(reader, rec.dataOffset, at.offset, at.size, cid.multihash.bytes).bytes : undefined
      },
      close: () => {
        if (closed) return
        closed = true
        this.#readers.release(key)
        this.#release(rec)
      },
    }
  }

  /**
   * Reads a block from any Available or Serving shard that holds it; undefined when none does. The bytes are
   * hash-checked as they are read, or by `check` when given (e.g. `verifyBlockBytesAsync`, which hashes
   * large blocks off the main thread); a copy that fails either way is reported and the next shard tried.
   */
  async getBlock(cid: CID, options: { signal?: AbortSignal; check?: (cid: CID, bytes: Uint8Array) => Promise<void> } = {}): Promise<Uint8Array | undefined> {
    let failure: unknown
    for (const loc of this.#index.locateAll(cid.multihash.bytes)) {
      const rec = this.#byId(loc.shardId)
      if (!rec || (rec.state !== 'ShardStateAvailable' && rec.state !== 'ShardStateServing')) continue
      options.signal?.throwIfAborted()
      try {
        const reader = await this.#openReader(rec)
        let bytes: Uint8Array
        try {
          bytes = readBlockAt(reader, rec.dataOffset, loc.offset, loc.size, cid.multihash.bytes, options.check === undefined).bytes
        } finally {
          this.#readers.release(rec.key)
        }
        await options.check?.(cid, bytes)
        return bytes
      } catch (err) {
        // Another shard may hold a good copy; report this one and keep looking.
        this.#emit({ level: 'warn', msg: 'shard failed to serve a block', key: rec.key, cid: String(cid), error: err })
        failure = err
      }
    }
    if (failure) throw failure
    return undefined
  }

  /** Whether an Available or Serving shard holds the block (an index lookup; nothing is read). */
  hasBlock(cid: CID): boolean {
    for (const loc of this.#index.locateAll(cid.multihash.bytes)) {
      const rec = this.#byId(loc.shardId)
      if (rec && (rec.state === 'ShardStateAvailable' || rec.state === 'ShardStateServing')) return true
    }
    return false
  }

  /** Removes a shard with its index and lookup entries; refused while readers hold it or it is indexing. */
  async destroy(key: string): Promise<void> {
    const rec = this.#record(key)
    if (rec.refs > 0 || rec.state === 'ShardStateServing') throw new ShardBusyError(key, rec.refs)
    if (this.#inflight.has(key)) throw new ShardStateError(key, rec.state, 'destroy', 'not initializing or recovering')
    this.#readers.drop(key)
    this.#opts.db.transaction(() => {
      this.#index.drop(rec.id)
      this.#shards.delete(rec.id)
    })()
    this.#live.delete(key)
    this.#keyById.delete(rec.id)
    this.#recoverOnAcquire.delete(key)
    this.#emit({ level: 'info', msg: 'destroyed shard', key })
  }

  /**
   * Releases what idle shards hold (open readers kept for fast reads). One result per idle Available or
   * Errored shard, as lotus-miner reports.
   */
  gc(): GcResult[] {
    const out: GcResult[] = []
    for (const rec of this.#shards.all()) {
      const live = this.#live.get(rec.key) ?? rec
      if (live.refs > 0 || (live.state !== 'ShardStateAvailable' && live.state !== 'ShardStateErrored')) continue
      try {
        this.#readers.drop(rec.key)
        out.push({ Key: rec.key, Success: true, Error: '' })
      } catch (err) {
        out.push({ Key: rec.key, Success: false, Error: (err as Error).message })
      }
    }
    return out
  }

  /** Shards whose index holds the CID's multihash, sorted by key (Lotus's DagstoreLookupPieces). */
  lookupPieces(cid: CID): ShardInfo[] {
    const holders: ShardRecord[] = []
    for (const id of this.#index.shardsWith(cid.multihash.bytes)) {
      const rec = this.#byId(id)
      if (rec) holders.push(rec)
    }
    return holders.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => this.#info(r))
  }

  /** A shard's index entries, for export as a go-car index file. */
  entries(key: string): Iterable<IndexEntry> {
    return this.#index.entries(this.#record(key).id)
  }

  /** Closes every cached reader and ends the index store's raised WAL checkpoint threshold. */
  close(): void {
    this.#lookups.flush()
    this.#readers.close()
    this.#index.close()
  }

  /** Indexes (or re-indexes) a shard, once at a time per shard, through the concurrency throttle. */
  #index_(rec: ShardRecord, recovering: boolean, signal?: AbortSignal, released?: () => void): Promise<void> {
    const running = this.#inflight.get(rec.key)
    if (running) return running
    const task = this.#indexShard(rec, recovering, signal, released).finally(() => this.#inflight.delete(rec.key))
    this.#inflight.set(rec.key, task)
    return task
  }

  /**
   * Scans the shard and writes its index while holding a throttle slot. A small shard's lookup rows then
   * wait outside the throttle for a group commit (./lookup-batch.ts), made as soon as nothing else is
   * indexing, so shards indexed back to back share it; a large shard inserts its own in sorted runs.
   */
  async #indexShard(rec: ShardRecord, recovering: boolean, signal?: AbortSignal, released?: () => void): Promise<void> {
    const started = performance.now()
    const endBulkLoad = this.#index.bulkLoad()
    let begun = false
    try {
      let indexed: WrittenIndex
      try {
        indexed = await this.#throttle.run(async () => {
          begun = true
          this.#setState(rec, recovering ? 'ShardStateRecovering' : 'ShardStateInitializing')
          this.#index.drop(rec.id)
          const reader = await this.#opts.resolveMount(rec.mountUrl).open({ signal })
          try {
            return await writeShardIndex(this.#index, this.#lookups, rec.id, reader, this.#opts.scan, signal)
          } finally {
            reader.close()
          }
        }, signal)
      } finally {
        // Nothing else indexing (running or queued) a turn later: the waiting lookup rows are committed.
        this.#lookups.flushWhenIdle(() => this.#throttle.running === 0 && this.#throttle.queued === 0)
      }
      released?.()
      await indexed.committed
      endBulkLoad()
      this.#shards.setIndexed(rec.id, indexed.dataOffset, indexed.entries, indexed.roots)
      rec.dataOffset = indexed.dataOffset
      rec.entries = indexed.entries
      this.#setState(rec, rec.refs > 0 ? 'ShardStateServing' : 'ShardStateAvailable')
      this.#emit({ level: 'info', msg: recovering ? 'recovered shard' : 'indexed shard', key: rec.key, entries: indexed.entries, ms: Math.round(performance.now() - started) })
    } catch (err) {
      // Aborted while still queued for a slot: nothing was touched.
      if (!begun) throw err
      this.#index.drop(rec.id)
      const message = (err as Error)?.message ?? String(err)
      this.#setState(rec, 'ShardStateErrored', message)
      this.#emit({ level: 'warn', msg: 'shard indexing failed', key: rec.key, error: err })
      throw new ShardIndexError(rec.key, message, { cause: err })
    } finally {
      endBulkLoad()
    }
  }

  #release(rec: ShardRecord): void {
    rec.refs = Math.max(0, rec.refs - 1)
    if (rec.refs === 0 && rec.state === 'ShardStateServing') this.#setState(rec, 'ShardStateAvailable')
  }

  #openReader(rec: ShardRecord): Promise<MountReader> {
    return this.#readers.open(rec.key, () => this.#opts.resolveMount(rec.mountUrl).open())
  }

  #record(key: string): ShardRecord {
    let rec = this.#live.get(key)
    if (!rec) {
      rec = this.#shards.get(key)
      if (!rec) throw new ShardNotFoundError(key)
      this.#live.set(key, rec)
      this.#keyById.set(rec.id, key)
    }
    return rec
  }

  #byId(id: number): ShardRecord | undefined {
    const known = this.#keyById.get(id)
    if (known !== undefined) return this.#live.get(known)
    const row = this.#opts.db.query<{ key: string }>('SELECT key FROM dagstore_shards WHERE id = ?').get(id)
    return row ? this.#record(row.key) : undefined
  }

  #setState(rec: ShardRecord, state: ShardState, error = ''): void {
    // Serving says only that readers hold the shard, and a restart has none: the database keeps Available
    // for it, so acquire and release (Available <-> Serving) write nothing.
    const servable = (s: ShardState) => s === 'ShardStateAvailable' || s === 'ShardStateServing'
    if (!(servable(rec.state) && servable(state) && rec.error === error)) this.#shards.setState(rec.id, state === 'ShardStateServing' ? 'ShardStateAvailable' : state, error)
    rec.state = state
    rec.error = error
  }

  #info(rec: ShardRecord): ShardInfo {
    return { Key: rec.key, State: rec.state, Error: rec.error }
  }

  #emit(event: DagstoreEvent): void {
    this.#opts.onEvent?.(event)
  }
}
