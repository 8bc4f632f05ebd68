/**
 * The in-memory index of a CAR: multihash (or, for IndexSorted, digest) → payload offset and block size,
 * held in typed arrays — one byte pool for the keys, parallel columns for offsets and sizes, an
 * open-addressing hash table of entry numbers — so a million blocks cost tens of megabytes and a lookup
 * allocates nothing. Entries keep insertion order; entries with the same key are chained in that order.
 */
import { multihashDigestStart } from './cid-bytes.ts'
import { CarIndexNotIterableError } from './errors.ts'
import type { BlockLocation, IndexEntry, IndexLookup } from './types.ts'

/** `sizeOf` answer when the index does not know the block size (go-car indexes store none). */
export const UNKNOWN_SIZE = -1
const NO_SIZE = 0xffffffff

// Per-process seed so an adversary cannot precompute keys that collide in every petal process.
const SEED = (Math.random() * 0x100000000) >>> 0

function hashKey(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ SEED
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193)
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
  #keyStart: Float64Array
  #offsets: Float64Array
  #sizes: Uint32Array
  #hashes: Int32Array
  #next: Int32Array
  #last: Int32Array
  #slots: Int32Array
  #distinct = 0

  constructor(keyedBy: IndexKeying = 'multihash', capacity = 1024) {
    this.keyedBy = keyedBy
    const cap = Math.max(16, capacity)
    this.#pool = new Uint8Array(cap * 36)
    this.#keyStart = new Float64Array(cap + 1)
    this.#offsets = new Float64Array(cap)
    this.#sizes = new Uint32Array(cap)
    this.#hashes = new Int32Array(cap)
    this.#next = new Int32Array(cap)
    this.#last = new Int32Array(cap)
    this.#slots = new Int32Array(slotCount(cap)).fill(-1)
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
    return this.#distinct
  }

  /** Approximate bytes of memory held. */
  get byteLength(): number {
    return this.#pool.byteLength + this.#keyStart.byteLength + this.#offsets.byteLength + this.#sizes.byteLength * 4 + this.#slots.byteLength
  }

  /** Adds the key `buf[start, end)` at payload `offset` with block `size` (-1 unknown); returns the entry number. */
  add(buf: Uint8Array, start: number, end: number, offset: number, size: number): number {
    const keyLen = end - start
    if (this.#count === this.#offsets.length) this.#grow()
    if (this.#poolUsed + keyLen > this.#pool.length) this.#growPool(keyLen)
    const h = hashKey(buf, start, end)
    const id = this.#count++
    this.#pool.set(buf.subarray(start, end), this.#poolUsed)
    this.#keyStart[id] = this.#poolUsed
    this.#poolUsed += keyLen
    this.#keyStart[id + 1] = this.#poolUsed
    this.#offsets[id] = offset
    this.#sizes[id] = size < 0 ? NO_SIZE : size
    this.#hashes[id] = h
    this.#next[id] = -1
    const slots = this.#slots
    const mask = slots.length - 1
    let i = h & mask
    for (;;) {
      const e = slots[i]
      if (e === -1) {
        slots[i] = id
        this.#last[id] = id
        if (++this.#distinct * 2 > slots.length) this.#rehash(slots.length * 2)
        return id
      }
      if (this.#hashes[e] === h && this.#keyEquals(e, buf, start, end)) {
        this.#next[this.#last[e]] = id
        this.#last[e] = id
        return id
      }
      i = (i + 1) & mask
    }
  }

  /** First entry whose key is `buf[start, end)`, or -1. */
  find(buf: Uint8Array, start = 0, end = buf.length): number {
    const h = hashKey(buf, start, end)
    const slots = this.#slots
    const mask = slots.length - 1
    let i = h & mask
    for (;;) {
      const e = slots[i]
      if (e === -1) return -1
      if (this.#hashes[e] === h && this.#keyEquals(e, buf, start, end)) return e
      i = (i + 1) & mask
    }
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
    this.#hashes = grow(this.#hashes, cap)
    this.#next = grow(this.#next, cap)
    this.#last = grow(this.#last, cap)
  }

  #growPool(need: number): void {
    const pool = new Uint8Array(Math.max(this.#pool.length * 2, this.#poolUsed + need))
    pool.set(this.#pool.subarray(0, this.#poolUsed))
    this.#pool = pool
  }

  #rehash(size: number): void {
    const slots = new Int32Array(size).fill(-1)
    const mask = size - 1
    const old = this.#slots
    for (let k = 0; k < old.length; k++) {
      const e = old[k]
      if (e === -1) continue
      let i = this.#hashes[e] & mask
      while (slots[i] !== -1) i = (i + 1) & mask
      slots[i] = e
    }
    this.#slots = slots
  }
}

function slotCount(capacity: number): number {
  let n = 32
  while (n < capacity * 2) n *= 2
  return n
}
