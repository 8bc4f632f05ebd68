/**
 * Index entries in columns: the scanner copies each section's multihash into one growing byte array and
 * its offset and size into typed arrays, so indexing a shard of small blocks makes no object per block.
 */
import type { IndexEntry } from './types.ts'

/** A batch of index entries in payload order, stored column-wise. */
export class EntryBatch {
  count = 0
  /** Section offsets in the CARv1 payload. */
  offsets: Float64Array
  /** Block byte lengths. */
  sizes: Float64Array
  /** End of entry i's multihash in `bytes` (entry i starts where i - 1 ends). */
  ends: Uint32Array
  /** The multihashes, back to back. */
  bytes: Uint8Array
  #used = 0

  constructor(capacity = 1024) {
    this.offsets = new Float64Array(capacity)
    this.sizes = new Float64Array(capacity)
    this.ends = new Uint32Array(capacity)
    this.bytes = new Uint8Array(capacity * 36)
  }

  /** Appends the entry whose multihash is `source[start, end)`. */
  push(source: Uint8Array, start: number, end: number, offset: number, size: number): void {
    const n = this.count
    if (n === this.offsets.length) this.#grow()
    const length = end - start
    if (this.#used + length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.#used + length))
      bigger.set(this.bytes.subarray(0, this.#used))
      this.bytes = bigger
    }
    // Multihashes are a few dozen bytes: a plain loop beats making a subarray view per entry.
    const bytes = this.bytes
    let at = this.#used
    if (length <= 128) for (let k = start; k < end; k++) bytes[at++] = source[k]
    else bytes.set(source.subarray(start, end), at)
    this.#used += length
    this.ends[n] = this.#used
    this.offsets[n] = offset
    this.sizes[n] = size
    this.count = n + 1
  }

  /** Where entry i's multihash starts in `bytes`. */
  start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]
  }

  /** Entry i's multihash (a view into `bytes`). */
  multihash(i: number): Uint8Array {
    return this.bytes.subarray(this.start(i), this.ends[i])
  }

  /** Entry i as an object (copying the multihash). */
  entry(i: number): IndexEntry {
    return { multihash: this.multihash(i).slice(), offset: this.offsets[i], size: this.sizes[i] }
  }

  /** A batch holding `entries`. */
  static fromEntries(entries: readonly IndexEntry[]): EntryBatch {
    const batch = new EntryBatch(Math.max(1, entries.length))
    for (const e of entries) batch.push(e.multihash, 0, e.multihash.length, e.offset, e.size)
    return batch
  }

  #grow(): void {
    const capacity = this.offsets.length * 2
    const offsets = new Float64Array(capacity)
    offsets.set(this.offsets)
    const sizes = new Float64Array(capacity)
    sizes.set(this.sizes)
    const ends = new Uint32Array(capacity)
    ends.set(this.ends)
    this.offsets = offsets
    this.sizes = sizes
    this.ends = ends
  }
}

/** A scanner's batch (objects or columns) as columns. */
export function toEntryBatch(batch: EntryBatch | readonly IndexEntry[]): EntryBatch {
  return batch instanceof EntryBatch ? batch : EntryBatch.fromEntries(batch)
}
