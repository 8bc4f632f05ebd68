/**
 * The two halves of a shard's index in SQLite. Pages: a shard's entries in payload order, a few dozen per
 * row, full multihashes included (export, verification, removal read them). Lookup keys: one narrow row
 * per block, (53-bit prefix of the digest, shard, page), which answers "which shards hold this block,
 * and where" from a B-tree of integers; a key match is confirmed against the full multihashes of the page
 * it names.
 *
 * Page bytes, little-endian: u32 count, u32 zero, count × f64 offset, count × f64 size, count × u32 end
 * of each multihash in the multihash area, then the multihashes back to back. The columns are aligned,
 * so a page is written with typed-array copies.
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
  if (i + 7 <= end) return (((mh[i] << 24) | (mh[i + 1] << 16) | (mh[i + 2] << 8) | mh[i + 3]) >>> 0) * 0x200000 + ((mh[i + 4] << 13) | (mh[i + 5] << 5) | (mh[i + 6] >>> 3))
  const d = new Uint8Array(7)
  if (i < end) d.set(mh.subarray(i, end))
  return lookupKey(Uint8Array.of(0, 7, ...d))
}

/** Typed arrays are little-endian here (true of every platform Bun and Node run on; checked, not assumed). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

/** Encodes entries [from, to) of `batch` as one page. */
export function encodePage(batch: EntryBatch, from: number, to: number): Uint8Array {
  const count = to - from
  const mhStart = batch.start(from)
  const mhLength = batch.ends[to - 1] - mhStart
  const head = 8 + count * 20
  const out = new Uint8Array(head + mhLength)
  if (LITTLE_ENDIAN) {
    new Uint32Array(out.buffer, 0, 1)[0] = count
    new Float64Array(out.buffer, 8, count).set(batch.offsets.subarray(from, to))
    new Float64Array(out.buffer, 8 + count * 8, count).set(batch.sizes.subarray(from, to))
    const ends = new Uint32Array(out.buffer, 8 + count * 16, count)
    for (let i = 0; i < count; i++) ends[i] = batch.ends[from + i] - mhStart
  } else {
    const view = new DataView(out.buffer)
    view.setUint32(0, count, true)
    for (let i = 0; i < count; i++) {
      view.setFloat64(8 + i * 8, batch.offsets[from + i], true)
      view.setFloat64(8 + count * 8 + i * 8, batch.sizes[from + i], true)
      view.setUint32(8 + count * 16 + i * 4, batch.ends[from + i] - mhStart, true)
    }
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
    this.#head = 8 + this.count * 20
  }

  offset(i: number): number {
    return this.#view.getFloat64(8 + i * 8, true)
  }

  size(i: number): number {
    return this.#view.getFloat64(8 + this.count * 8 + i * 8, true)
  }

  multihash(i: number): Uint8Array {
    const start = i === 0 ? 0 : this.#end(i - 1)
    return this.#bytes.subarray(this.#head + start, this.#head + this.#end(i))
  }

  /** Position of the first entry whose multihash is `mh`, or -1. */
  indexOf(mh: Uint8Array): number {
    const bytes = this.#bytes
    const n = mh.length
    for (let i = 0, start = this.#head; i < this.count; i++) {
      const end = this.#head + this.#end(i)
      if (end - start === n) {
        // Digests differ at their ends as much as anywhere, and the hash code prefix is usually shared.
        let k = n - 1
        while (k >= 0 && bytes[start + k] === mh[k]) k--
        if (k < 0) return i
      }
      start = end
    }
    return -1
  }

  #end(i: number): number {
    return this.#view.getUint32(8 + this.count * 16 + i * 4, true)
  }
}
