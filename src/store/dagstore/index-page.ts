/**
 * The two halves of a shard's index in SQLite. Pages: a shard's entries in payload order, a few dozen per
 * row, full multihashes included (export, verification, removal read them). Lookup keys: one narrow row
 * per block, (53-bit prefix of the digest, shard, offset), which answers "which shards hold this block,
 * and where" from a B-tree of integers; a key match is confirmed against the page holding that offset.
 *
 * Page bytes, little-endian: u32 count, count × f64 offset, count × f64 size, count × u32 end of each
 * multihash in the multihash area, then the multihashes back to back.
 */
import type { EntryBatch } from './entry-batch.ts'

/** Entries per page: a page of sha2-256 entries (~3 KiB) stays within one 4 KiB SQLite page. */
export const ENTRIES_PER_PAGE = 64

/**
 * The lookup key of a multihash: the first 53 bits of its digest (zero-filled when shorter), an exact
 * JavaScript number and a SQLite integer. Distinct blocks may share a key; lookups compare the full
 * multihash before answering.
 */
export function lookupKey(mh: Uint8Array, start = 0, end = mh.length): number {
  let i = start
  while (i < end && mh[i] & 0x80) i++ // hash code varint
  i++
  while (i < end && mh[i] & 0x80) i++ // digest length varint
  i++
  const b = (k: number) => (i + k < end ? mh[i + k] : 0)
  return (((b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3)) >>> 0) * 0x200000 + (((b(4) << 13) | (b(5) << 5) | (b(6) >>> 3)) >>> 0)
}

/** Encodes entries [from, to) of `batch` as one page. */
export function encodePage(batch: EntryBatch, from: number, to: number): Uint8Array {
  const count = to - from
  const mhStart = batch.start(from)
  const mhLength = batch.ends[to - 1] - mhStart
  const head = 4 + count * 20
  const out = new Uint8Array(head + mhLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, count, true)
  for (let i = 0; i < count; i++) {
    view.setFloat64(4 + i * 8, batch.offsets[from + i], true)
    view.setFloat64(4 + count * 8 + i * 8, batch.sizes[from + i], true)
    view.setUint32(4 + count * 16 + i * 4, batch.ends[from + i] - mhStart, true)
  }
  out.set(batch.bytes.subarray(mhStart, mhStart + mhLength), head)
  return out
}

/** Read access to an encoded page. */
export class PageView {
  readonly count: number
  readonly #view: DataView
  readonly #bytes: Uint8Array
  readonly #head: number

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.count = this.#view.getUint32(0, true)
    this.#head = 4 + this.count * 20
  }

  offset(i: number): number {
    return this.#view.getFloat64(4 + i * 8, true)
  }

  size(i: number): number {
    return this.#view.getFloat64(4 + this.count * 8 + i * 8, true)
  }

  multihash(i: number): Uint8Array {
    const start = i === 0 ? 0 : this.#end(i - 1)
    return this.#bytes.subarray(this.#head + start, this.#head + this.#end(i))
  }

  /** Position of the entry at payload `offset`, or -1 (offsets ascend within a page). */
  find(offset: number): number {
    let lo = 0
    let hi = this.count - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const at = this.offset(mid)
      if (at === offset) return mid
      if (at < offset) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  #end(i: number): number {
    return this.#view.getUint32(4 + this.count * 16 + i * 4, true)
  }
}
