/**
 * The in-memory index of a CAR: multihash (or, for IndexSorted, digest) → payload offset and block size,
 * held in typed arrays — one byte pool for the keys, parallel columns for offsets and sizes, an
 * open-addressing hash table of entry numbers — so a million blocks cost tens of megabytes and a lookup
 * allocates nothing. Entries keep insertion order; entries with the same key are chained in that order.
 * The hash table is built on the first lookup, so an index that is only encoded or exported never pays
 * for it; from then on every `add` keeps it current.
 */
import { multihashDigestStart } from './cid-bytes.ts'
import { CarIndexFullError, CarIndexNotIterableError } from './errors.ts'
import { getCarNative, type CarIndexColumns, type CarIndexTable } from './native.ts'
import type { BlockLocation, IndexEntry, IndexLookup } from './types.ts'

/** `sizeOf` answer when the index does not know the block size (go-car indexes store none). */
export const UNKNOWN_SIZE = -1
const NO_SIZE = 0xffffffff
/** Indexes of at least this many entries get their hash table built by libpetal when it is installed. */
const NATIVE_BUILD = 4096

// Per-process seed so an adversary cannot precompute keys that collide in every petal process.
const SEED = (Math.random() * 0x100000000) >>> 0

// Four bytes a step, then murmur3's finalizer: every key byte reaches every hash bit.
function hashKey(buf: Uint8Array, start: number, end: number): number {
  let h = SEED ^ (end - start)
  let i = start
  for (; i + 4 <= end; i += 4) {
    const k = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)
    h = Math.imul(h ^ Math.imul(k, 0xcc9e2d51), 0x1b873593)
    h = (h << 13) | (h >>> 19)
  }
  for (; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** What the keys are: whole multihashes (MultihashIndexSorted, built indexes) or digests (IndexSorted). */
export type IndexKeying = 'multihash' | 'digest'

/** An in-memory CAR index. */
export class CarIndex implements IndexLookup {
  readonly keyedBy: IndexKeying
  #count = 0
  #pool: Uint8Array
  #poolUsed = 0
  #keyStart: Uint32Array
  #offsets: Float64Array
  #sizes: Uint32Array
  #hashes: Int32Array
  #next: Int32Array
  #last: Int32Array
  #slots: Int32Array
  #distinct = 0
  /** Whether the hash table is built and kept current. */
  #live = false

  constructor(keyedBy: IndexKeying = 'multihash', capacity = 1024) {
    this.keyedBy = keyedBy
    const cap = Math.max(16, capacity)
    this.#pool = new Uint8Array(cap * 36)
    this.#keyStart = new Uint32Array(cap + 1)
    this.#offsets = new Float64Array(cap)
    this.#sizes = new Uint32Array(cap)
    // Hash columns are allocated when the table is first built: an index that is only encoded never pays.
    this.#hashes = new Int32Array(0)
    this.#next = new Int32Array(0)
    this.#last = new Int32Array(0)
    this.#slots = new Int32Array(0)
  }

  /** An index holding `entries` (multihash-keyed). */
  static fromEntries(entries: Iterable<IndexEntry>): CarIndex {
    const index = new CarIndex('multihash')
    for (const e of entries) index.add(e.multihash, 0, e.multihash.length, e.offset, e.size)
    return index
  }

  /** Number of entries. */
  get count(): number {
    return this.#count
  }

  /** Number of distinct keys. */
  get distinctCount(): number {
    if (!this.#live) this.#build()
    return this.#distinct
  }

  /** Approximate bytes of memory held. */
  get byteLength(): number {
    const columns = this.#keyStart.byteLength + this.#offsets.byteLength + this.#sizes.byteLength
    return this.#pool.byteLength + columns + this.#hashes.byteLength * 3 + this.#slots.byteLength
  }

  /** The hash `find` and `add` use for a key, to compute it once when doing both. */
  static hashOf(buf: Uint8Array, start = 0, end = buf.length): number {
    return hashKey(buf, start, end)
  }

  /**
   * Adds the key `buf[start, end)` at payload `offset` with block `size` (-1 unknown); returns the entry
   * number. `hash` is `CarIndex.hashOf` of the key when the caller has it.
   */
  add(buf: Uint8Array, start: number, end: number, offset: number, size: number, hash?: number): number {
    const id = this.#push(buf, start, end, offset, size)
    if (this.#live) {
      this.#next[id] = -1
      this.#insert(id, hash ?? hashKey(buf, start, end))
    }
    return id
  }

  /**
   * Adds the key like `add` unless it is already present (then returns -1 and adds nothing), with one probe
   * of the hash table: the dedupe step of a store's put.
   */
  addIfAbsent(buf: Uint8Array, start: number, end: number, offset: number, size: number, hash?: number): number {
    if (!this.#live) this.#build()
    const h = hash ?? hashKey(buf, start, end)
    const slot = this.#probe(buf, start, end, h)
    if (this.#slots[slot << 1] !== -1) return -1
    const id = this.#push(buf, start, end, offset, size)
    this.#next[id] = -1
    this.#claim(slot, id, h)
    return id
  }

  /**
   * Reads the hash-table slots of `count` keys with these hashes, so that their cache misses overlap; the
   * `addIfAbsent` calls that follow then find them in cache. Returns a value only to keep the reads.
   */
  touch(hashes: Int32Array, count: number): number {
    if (!this.#live) this.#build()
    const slots = this.#slots
    const mask = (slots.length >> 1) - 1
    let sink = 0
    for (let k = 0; k < count; k++) sink ^= slots[(hashes[k] & mask) << 1]
    return sink
  }

  /** Makes room for `entries` more entries (and `keyBytes` more bytes of keys) without regrowing. */
  reserve(entries: number, keyBytes = entries * 36): void {
    const want = this.#count + entries
    while (this.#offsets.length < want) this.#grow()
    if (this.#poolUsed + keyBytes > this.#pool.length) this.#growPool(keyBytes)
    if (this.#live && this.#distinct + entries > this.#slots.length >> 2) this.#rehash(slotCount(this.#distinct + entries))
  }

  /** First entry whose key is `buf[start, end)`, or -1; `hash` as in `add`. */
  find(buf: Uint8Array, start = 0, end = buf.length, hash?: number): number {
    if (!this.#live) this.#build()
    return this.#slots[this.#probe(buf, start, end, hash ?? hashKey(buf, start, end)) << 1]
  }

  // The slot holding the first entry of the key `buf[start, end)` (hashing to `h`), or else the empty slot
  // where that key would go (its entry is -1).
  #probe(buf: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.#slots
    const mask = (slots.length >> 1) - 1
    let i = h & mask
    for (;;) {
      const e = slots[i << 1]
      if (e === -1 || (slots[(i << 1) + 1] === h && this.#keyEquals(e, buf, start, end))) return i
      i = (i + 1) & mask
    }
  }

  // Appends an entry to the columns (and its key to the pool) without touching the hash table.
  #push(buf: Uint8Array, start: number, end: number, offset: number, size: number): number {
    const keyLen = end - start
    if (this.#count === this.#offsets.length) this.#grow()
    if (this.#poolUsed + keyLen > this.#pool.length) this.#growPool(keyLen)
    const id = this.#count++
    const pool = this.#pool
    const at = this.#poolUsed
    if (keyLen <= 64) for (let i = 0; i < keyLen; i++) pool[at + i] = buf[start + i]
    else pool.set(buf.subarray(start, end), at)
    this.#keyStart[id] = at
    this.#poolUsed = at + keyLen
    this.#keyStart[id + 1] = at + keyLen
    this.#offsets[id] = offset
    this.#sizes[id] = size < 0 ? NO_SIZE : size
    return id
  }

  // Gives the empty `slot` to entry `id`, the first of its key (hashing to `h`); grows the table past half full.
  #claim(slot: number, id: number, h: number): void {
    const slots = this.#slots
    this.#hashes[id] = h
    slots[slot << 1] = id
    slots[(slot << 1) + 1] = h
    this.#last[id] = id
    if (++this.#distinct * 2 > slots.length >> 1) this.#rehash(slots.length)
  }

  // Puts entry `id` (whose key hashes to `h`) in the table: a new slot, or the end of its key's chain.
  // Slots hold (entry, hash) pairs side by side, so a probe touches one cache line.
  #insert(id: number, h: number): void {
    const slot = this.#probe(this.#pool, this.#keyStart[id], this.#keyStart[id + 1], h)
    const first = this.#slots[slot << 1]
    if (first === -1) return this.#claim(slot, id, h)
    this.#hashes[id] = h
    this.#next[this.#last[first]] = id
    this.#last[first] = id
  }


  // Builds the hash table over every entry so far, in insertion order (so chains keep that order).
  #build(): void {
    const cap = this.#offsets.length
    this.#hashes = new Int32Array(cap)
    this.#next = new Int32Array(cap).fill(-1)
    this.#last = new Int32Array(cap)
    this.#slots = new Int32Array(2 * slotCount(this.#count)).fill(-1)
    this.#distinct = 0
    this.#live = true
    const native = this.#count >= NATIVE_BUILD ? getCarNative() : null
    if (native !== null) {
      const table = { ...this.columns(), hashes: this.#hashes, next: this.#next, last: this.#last, slots: this.#slots, distinct: 0, seed: SEED }
      native.buildTable(table)
      this.#distinct = table.distinct
      return
    }
    const pool = this.#pool
    for (let id = 0; id < this.#count; id++) this.#insert(id, hashKey(pool, this.#keyStart[id], this.#keyStart[id + 1]))
  }

  /** Entry number of the lookup key for `multihash`, honouring the keying; -1 when absent. */
  findMultihash(multihash: Uint8Array): number {
    if (this.keyedBy === 'multihash') return this.find(multihash, 0, multihash.length)
    return this.find(multihash, multihashDigestStart(multihash), multihash.length)
  }

  /** The `nth` location of `multihash` (IndexLookup). */
  locate(multihash: Uint8Array, nth = 0): BlockLocation | undefined {
    let id = this.findMultihash(multihash)
    while (id !== -1 && nth-- > 0) id = this.#next[id]
    return id === -1 ? undefined : { offset: this.#offsets[id], size: this.sizeOf(id) }
  }

  /** The next entry with the same key as entry `id`, or -1. */
  nextOf(id: number): number {
    if (!this.#live) this.#build()
    return this.#next[id]
  }

  /** Payload offset of entry `id`. */
  offsetOf(id: number): number {
    return this.#offsets[id]
  }

  /** Block size of entry `id`, or -1 when unknown. */
  sizeOf(id: number): number {
    const s = this.#sizes[id]
    return s === NO_SIZE ? UNKNOWN_SIZE : s
  }

  /** Records the block size of entry `id` once it is learnt. */
  setSize(id: number, size: number): void {
    this.#sizes[id] = size
  }

  /** The key of entry `id` as a view into the pool (valid until the next `add`). */
  keyOf(id: number): Uint8Array {
    return this.#pool.subarray(this.#keyStart[id], this.#keyStart[id + 1])
  }

  /** Raw access for the codecs: the key pool and where entry `id`'s key starts. */
  get pool(): Uint8Array {
    return this.#pool
  }

  /** The columns, for a bulk append in place (native scan); hand them back with `commitColumns`. */
  columns(): CarIndexColumns {
    return { pool: this.#pool, keyStarts: this.#keyStart, offsets: this.#offsets, sizes: this.#sizes, count: this.#count, poolUsed: this.#poolUsed }
  }

  /** Takes the entries appended to `columns()` (only `count` and `poolUsed` move; arrays were not replaced). */
  commitColumns(columns: CarIndexColumns): void {
    const from = this.#count
    this.#count = columns.count
    this.#poolUsed = columns.poolUsed
    if (this.#live) {
      for (let id = from; id < columns.count; id++) {
        this.#next[id] = -1
        this.#insert(id, hashKey(this.#pool, this.#keyStart[id], this.#keyStart[id + 1]))
      }
    }
  }

  /**
   * The columns and the live hash table, with room for `entries` more entries holding `keyBytes` more bytes
   * of keys, for a native bulk add that extends them in place as `addIfAbsent` would (see
   * `CarNative.putSections`); hand them back with `commitTable`.
   */
  table(entries = 0, keyBytes = 0): CarIndexTable {
    if (!this.#live) this.#build()
    this.reserve(entries, keyBytes)
    return { ...this.columns(), hashes: this.#hashes, next: this.#next, last: this.#last, slots: this.#slots, distinct: this.#distinct, seed: SEED }
  }

  /** Takes the entries and slots a native bulk add wrote into `table()` (arrays were not replaced). */
  commitTable(table: CarIndexTable): void {
    this.#count = table.count
    this.#poolUsed = table.poolUsed
    this.#distinct = table.distinct
  }

  /** Raw access for the codecs: pool offsets of the keys (entry `id` spans `[keyStarts[id], keyStarts[id + 1])`). */
  get keyStarts(): Uint32Array {
    return this.#keyStart
  }

  /** Raw access for the codecs: payload offsets by entry number. */
  get offsets(): Float64Array {
    return this.#offsets
  }

  /** Pool offset of entry `id`'s key; its end is `keyStartOf(id + 1)`. */
  keyStartOf(id: number): number {
    return this.#keyStart[id]
  }

  /** Every entry in insertion order, multihashes copied out. Throws for a digest-keyed index. */
  *entries(): IterableIterator<IndexEntry> {
    if (this.keyedBy !== 'multihash') throw new CarIndexNotIterableError()
    for (let id = 0; id < this.#count; id++) {
      yield { multihash: this.keyOf(id).slice(), offset: this.#offsets[id], size: this.sizeOf(id) }
    }
  }

  #keyEquals(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const ks = this.#keyStart[id]
    if (this.#keyStart[id + 1] - ks !== end - start) return false
    const pool = this.#pool
    for (let i = start, j = ks; i < end; i++, j++) if (pool[j] !== buf[i]) return false
    return true
  }

  #grow(): void {
    const cap = this.#offsets.length * 2
    const grow = <T extends Float64Array | Uint32Array | Int32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n)
      b.set(a)
      return b
    }
    this.#keyStart = grow(this.#keyStart, cap + 1)
    this.#offsets = grow(this.#offsets, cap)
    this.#sizes = grow(this.#sizes, cap)
    if (this.#live) {
      this.#hashes = grow(this.#hashes, cap)
      this.#next = grow(this.#next, cap)
      this.#last = grow(this.#last, cap)
    }
  }

  #growPool(need: number): void {
    // Key positions are 32-bit: past 4 GiB of keys (about a hundred million blocks) the index is full.
    if (this.#poolUsed + need > 0xffffffff) throw new CarIndexFullError()
    const pool = new Uint8Array(Math.min(0xffffffff, Math.max(this.#pool.length * 2, this.#poolUsed + need)))
    pool.set(this.#pool.subarray(0, this.#poolUsed))
    this.#pool = pool
  }

  #rehash(size: number): void {
    const slots = new Int32Array(2 * size).fill(-1)
    const mask = size - 1
    const old = this.#slots
    for (let k = 0; k < old.length; k += 2) {
      const e = old[k]
      if (e === -1) continue
      const h = old[k + 1]
      let i = h & mask
      while (slots[i << 1] !== -1) i = (i + 1) & mask
      slots[i << 1] = e
      slots[(i << 1) + 1] = h
    }
    this.#slots = slots
  }
}

function slotCount(capacity: number): number {
  let n = 32
  while (n < capacity * 2) n *= 2
  return n
}
