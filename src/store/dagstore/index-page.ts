/**
 * The two halves of a shard's index in SQLite. Pages: a shard's entries in payload order, a few dozen per
 * row, full multihashes included (export, verification, removal read them). Lookup keys: one narrow row
 * per block, (53-bit prefix of the digest, shard, page), which answers "which shards hold this block,
 * and where" from a B-tree of integers; a key match is confirmed against the full multihashes of the page
 * it names.
 *
 * Page bytes, little-endian: u32 count, u32 L, f64 first offset, then count × u32 for each of: offset
 * past the first, block size, and (only when L is 0) end of the multihash in the multihash area; then the
 * multihashes back to back. L > 0 says every multihash of the page is L bytes long, as in nearly every
 * CAR, which saves the third column. A page never spans 4 GiB of payload (the writer cuts it short), and
 * a block of 4 GiB or more cannot be indexed (sections are capped far below that).
 */
import type { EntryBatch } from './entry-batch.ts'

/**
 * Largest encoded page the writer makes (unless one entry alone is larger): with its row header it fills
 * one 4 KiB SQLite page without overflow, 94 sha2-256 entries. Pages cut by a count instead (64) left a
 * quarter of every SQLite page empty.
 */
export const PAGE_BYTES = 3968
/** Most entries in one page. */
export const ENTRIES_PER_PAGE = 256

/** Encoded size of a page of `count` entries whose multihashes total `multihashBytes` (`uniform`: all one length). */
export function pageBytes(count: number, multihashBytes: number, uniform: boolean): number {
  return 16 + count * (uniform ? 8 : 12) + multihashBytes
}
/** Largest offset past a page's first entry, and largest block size, a page can hold. */
export const PAGE_U32_MAX = 0xffffffff

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

/** Encodes entries [from, to) of `batch` as one page (the caller keeps offsets within PAGE_U32_MAX of the first). */
export function encodePage(batch: EntryBatch, from: number, to: number): Uint8Array {
  const count = to - from
  const first = batch.offsets[from]
  const mhStart = batch.start(from)
  const mhLength = batch.ends[to - 1] - mhStart
  const length = batch.ends[from] - mhStart
  let uniform = length
  for (let i = from + 1; i < to && uniform > 0; i++) if (batch.ends[i] - batch.ends[i - 1] !== length) uniform = 0
  const columns = uniform > 0 ? 2 : 3
  const head = 16 + count * columns * 4
  const out = new Uint8Array(head + mhLength)
  if (LITTLE_ENDIAN) {
    const words = new Uint32Array(out.buffer, 0, 2)
    words[0] = count
    words[1] = uniform
    new Float64Array(out.buffer, 8, 1)[0] = first
    const cols = new Uint32Array(out.buffer, 16, count * columns)
    for (let i = 0; i < count; i++) {
      cols[i] = batch.offsets[from + i] - first
      cols[count + i] = batch.sizes[from + i]
    }
    if (uniform === 0) for (let i = 0; i < count; i++) cols[2 * count + i] = batch.ends[from + i] - mhStart
  } else {
    const view = new DataView(out.buffer)
    view.setUint32(0, count, true)
    view.setUint32(4, uniform, true)
    view.setFloat64(8, first, true)
    for (let i = 0; i < count; i++) {
      view.setUint32(16 + i * 4, batch.offsets[from + i] - first, true)
      view.setUint32(16 + (count + i) * 4, batch.sizes[from + i], true)
      if (uniform === 0) view.setUint32(16 + (2 * count + i) * 4, batch.ends[from + i] - mhStart, true)
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
  readonly #first: number
  readonly #uniform: number

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.count = this.#view.getUint32(0, true)
    this.#uniform = this.#view.getUint32(4, true)
    this.#head = 16 + this.count * (this.#uniform > 0 ? 8 : 12)
    this.#first = this.#view.getFloat64(8, true)
  }

  offset(i: number): number {
    return this.#first + this.#view.getUint32(16 + i * 4, true)
  }

  size(i: number): number {
    return this.#view.getUint32(16 + (this.count + i) * 4, true)
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
    if (this.#uniform > 0) return (i + 1) * this.#uniform
    return this.#view.getUint32(16 + (2 * this.count + i) * 4, true)
  }
}
