/**
 * The CARv2 index codecs, byte for byte as go-car writes them (the spec text omits the leading counts):
 *
 *   index        := uvarint(codec) body
 *   0x0400 body  := int32 nBuckets, bucket*                                   (buckets by width, ascending)
 *   0x0401 body  := int32 nCodes, { uint64 code, int32 nBuckets, bucket* }*   (codes ascending)
 *   bucket       := uint32 width, int64 byteLength (= entries × width), entry*   (entries by digest)
 *   entry        := digest[width - 8] ‖ uint64 payloadOffset                   (all little-endian)
 *
 * https://ipld.io/specs/transport/car/carv2/#format-0x0400-indexsorted
 */
import { CarIndex, UNKNOWN_SIZE } from './car-index.ts'
import { INDEX_SORTED, MULTIHASH_INDEX_SORTED } from './constants.ts'
import { CarBadIndexError, CarIndexNotIterableError, CarTruncatedError, CarUnknownIndexCodecError, throwIfAborted } from './errors.ts'
import type { ByteSource, IndexCodec } from './types.ts'
import { bytesSource } from './byte-source.ts'
import { decodeVarint, encodeVarintInto, varintLength } from './varint.ts'

interface Group {
  code: number
  width: number
  ids: Uint32Array
}

const TWO32 = 0x100000000

/** Encodes `index` with `codec` (default 0x0401, go-car's default). */
export function encodeIndex(index: CarIndex, codec: IndexCodec = MULTIHASH_INDEX_SORTED): Uint8Array {
  if (codec !== INDEX_SORTED && codec !== MULTIHASH_INDEX_SORTED) throw new CarUnknownIndexCodecError(codec)
  if (codec === MULTIHASH_INDEX_SORTED && index.keyedBy !== 'multihash') throw new CarIndexNotIterableError()
  const n = index.count
  const pool = index.pool
  const digestStart = new Uint32Array(n)
  const groupOf = new Uint32Array(n)
  const found: Array<{ code: number; width: number; count: number }> = []
  const byKey = new Map<string, number>()
  let last = -1
  for (let id = 0; id < n; id++) {
    let start = index.keyStartOf(id)
    const end = index.keyStartOf(id + 1)
    let code = -1
    if (index.keyedBy === 'multihash') {
      code = decodeVarint(pool, start, end)
      start += varintLength
      decodeVarint(pool, start, end)
      start += varintLength
    }
    digestStart[id] = start
    const width = end - start + 8
    const groupCode = codec === MULTIHASH_INDEX_SORTED ? code : -1
    // Almost every entry lands in the same group as the one before: check that first.
    let g = last
    if (g < 0 || found[g].code !== groupCode || found[g].width !== width) {
      const key = `${groupCode}:${width}`
      g = byKey.get(key) ?? -1
      if (g < 0) {
        g = found.length
        found.push({ code: groupCode, width, count: 0 })
        byKey.set(key, g)
      }
      last = g
    }
    groupOf[id] = g
    found[g].count++
  }
  const members = found.map((f) => new Uint32Array(f.count))
  const filled = new Uint32Array(found.length)
  for (let id = 0; id < n; id++) members[groupOf[id]][filled[groupOf[id]]++] = id
  const sorted: Group[] = found
    .map((f, g) => ({ code: f.code, width: f.width, ids: sortByDigest(members[g], pool, digestStart, f.width - 8) }))
    .sort((a, b) => a.code - b.code || a.width - b.width)

  let size = 2 + 4
  const codes = [...new Set(sorted.map((g) => g.code))]
  if (codec === MULTIHASH_INDEX_SORTED) size += codes.length * 12
  for (const g of sorted) size += 12 + g.ids.length * g.width
  const out = new Uint8Array(size)
  const view = new DataView(out.buffer)
  let p = encodeVarintInto(codec, out, 0)
  const writeBuckets = (buckets: Group[]) => {
    view.setInt32(p, buckets.length, true)
    p += 4
    for (const g of buckets) {
      view.setUint32(p, g.width, true)
      const byteLength = g.ids.length * g.width
      view.setUint32(p + 4, byteLength % TWO32, true)
      view.setUint32(p + 8, Math.floor(byteLength / TWO32), true)
      p += 12
      const dLen = g.width - 8
      for (const id of g.ids) {
        const ds = digestStart[id]
        for (let k = 0; k < dLen; k++) out[p + k] = pool[ds + k]
        p += dLen
        const off = index.offsetOf(id)
        view.setUint32(p, off % TWO32, true)
        view.setUint32(p + 4, Math.floor(off / TWO32), true)
        p += 8
      }
    }
  }
  if (codec === INDEX_SORTED) writeBuckets(sorted)
  else {
    view.setInt32(p, codes.length, true)
    p += 4
    for (const code of codes) {
      view.setUint32(p, code % TWO32, true)
      view.setUint32(p + 4, Math.floor(code / TWO32), true)
      p += 8
      writeBuckets(sorted.filter((g) => g.code === code))
    }
  }
  return out
}

/**
 * Sorts entry numbers by their digest bytes (all `dLen` long): a stable LSD radix sort on the first four
 * bytes, then a comparison sort inside each run that shares them. Equal digests stay in insertion order.
 */
function sortByDigest(ids: Uint32Array, pool: Uint8Array, digestStart: Uint32Array, dLen: number): Uint32Array {
  let a: Uint32Array = ids
  let b: Uint32Array = new Uint32Array(ids.length)
  const radixBytes = Math.min(4, dLen)
  const count = new Uint32Array(257)
  for (let byte = radixBytes - 1; byte >= 0; byte--) {
    count.fill(0)
    for (let i = 0; i < a.length; i++) count[pool[digestStart[a[i]] + byte] + 1]++
    for (let k = 1; k < 257; k++) count[k] += count[k - 1]
    for (let i = 0; i < a.length; i++) b[count[pool[digestStart[a[i]] + byte]]++] = a[i]
    const t = a
    a = b
    b = t
  }
  if (dLen <= 4) return a
  const samePrefix = (x: number, y: number) => {
    const px = digestStart[x]
    const py = digestStart[y]
    for (let k = 0; k < radixBytes; k++) if (pool[px + k] !== pool[py + k]) return false
    return true
  }
  const compare = (x: number, y: number) => {
    const px = digestStart[x]
    const py = digestStart[y]
    for (let k = radixBytes; k < dLen; k++) {
      const d = pool[px + k] - pool[py + k]
      if (d !== 0) return d
    }
    return x - y
  }
  let runStart = 0
  for (let i = 1; i <= a.length; i++) {
    if (i < a.length && samePrefix(a[runStart], a[i])) continue
    if (i - runStart > 1) a.set(Array.from(a.subarray(runStart, i)).sort(compare), runStart)
    runStart = i
  }
  return a
}

/** What a decoded index held: its codec and the index (keyed by digest for 0x0400). */
export interface DecodedIndex {
  codec: IndexCodec
  index: CarIndex
}

/** Decodes index bytes (codec varint first). */
export async function decodeIndex(bytes: Uint8Array): Promise<DecodedIndex> {
  return readIndex(bytesSource(bytes))
}

/** Reads the index in `source` from `start` to `end` (default: the whole source) into a CarIndex. */
export async function readIndex(source: ByteSource, options: { start?: number; end?: number; signal?: AbortSignal } = {}): Promise<DecodedIndex> {
  let index: CarIndex | undefined
  const codec = await walkIndex(
    source,
    (code, buf, dStart, dLen, offset) => {
      if (code < 0) index!.add(buf, dStart, dStart + dLen, offset, UNKNOWN_SIZE)
      else index!.add(multihashOf(code, buf, dStart, dLen), 0, multihashLength, offset, UNKNOWN_SIZE)
    },
    { ...options, onCodec: (c) => void (index = new CarIndex(c === INDEX_SORTED ? 'digest' : 'multihash')) },
  )
  return { codec, index: index! }
}

let scratch = new Uint8Array(64)
let multihashLength = 0
function multihashOf(code: number, digest: Uint8Array, start: number, len: number): Uint8Array {
  if (scratch.length < len + 20) scratch = new Uint8Array(len + 20)
  let p = encodeVarintInto(code, scratch, 0)
  p = encodeVarintInto(len, scratch, p)
  scratch.set(digest.subarray(start, start + len), p)
  multihashLength = p + len
  return scratch
}

/** Called for each entry: multihash code (-1 for IndexSorted), digest at `buf[start, start + length)`, offset. */
export type IndexVisitor = (code: number, buf: Uint8Array, start: number, length: number, offset: number) => void

const WINDOW = 1 << 20

/**
 * Walks the index in `source` entry by entry, checking its structure as go-car would read it (known codec,
 * sane counts, widths ≥ 8, byte lengths a multiple of the width, codes and widths ascending, digests
 * sorted, offsets below 2^53, nothing after the last bucket). Returns the codec.
 */
export async function walkIndex(
  source: ByteSource,
  visit: IndexVisitor,
  options: { start?: number; end?: number; signal?: AbortSignal; onCodec?: (codec: IndexCodec) => void } = {},
): Promise<IndexCodec> {
  const end = options.end ?? source.size
  let pos = options.start ?? 0
  let buf = new Uint8Array(Math.min(WINDOW, Math.max(16, end - pos)))
  let bufStart = 0
  let bufEnd = 0
  const need = async (n: number, what: string) => {
    if (pos >= bufStart && pos + n <= bufEnd) return
    throwIfAborted(options.signal)
    if (pos + n > end) throw new CarTruncatedError(`unexpected end of index reading ${what} at ${pos}`)
    const want = Math.min(end - pos, Math.max(n, WINDOW))
    if (want > buf.length) buf = new Uint8Array(want)
    const r = source.read(buf.subarray(0, want), pos)
    const got = typeof r === 'number' ? r : await r
    bufStart = pos
    bufEnd = pos + got
    if (got < n) throw new CarTruncatedError(`unexpected end of index reading ${what} at ${pos}`)
  }
  const u32 = () => {
    const i = pos - bufStart
    pos += 4
    return (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24)) >>> 0
  }
  const u64 = (what: string) => {
    const lo = u32()
    const hi = u32()
    if (hi >= 0x200000) throw new CarBadIndexError(`${what} out of range`)
    return hi * TWO32 + lo
  }
  const i32 = (what: string) => {
    const v = u32()
    if (v > 0x7fffffff) throw new CarBadIndexError(`negative ${what}`)
    return v
  }

  await need(Math.min(10, end - pos), 'the codec')
  const codec = decodeVarint(buf, pos - bufStart, bufEnd - bufStart)
  if (codec < 0) throw new CarTruncatedError('unexpected end of index reading the codec')
  pos += varintLength
  if (codec !== INDEX_SORTED && codec !== MULTIHASH_INDEX_SORTED) throw new CarUnknownIndexCodecError(codec)
  options.onCodec?.(codec)

  const readBuckets = async (code: number) => {
    await need(4, 'the bucket count')
    const buckets = i32('bucket count')
    let lastWidth = 0
    for (let b = 0; b < buckets; b++) {
      await need(12, 'a bucket header')
      const width = u32()
      const byteLength = u64('bucket byte length')
      if (width < 8) throw new CarBadIndexError(`bucket width ${width} is below 8`)
      if (width <= lastWidth) throw new CarBadIndexError('buckets are not sorted by width')
      lastWidth = width
      if (byteLength % width !== 0) throw new CarBadIndexError(`bucket byte length ${byteLength} is not a multiple of its width ${width}`)
      if (pos + byteLength > end) throw new CarTruncatedError(`index bucket of ${byteLength} bytes runs past the end`)
      const dLen = width - 8
      const entries = byteLength / width
      // The previous digest, for the order check: in the window, or copied out before the window moves.
      const prevCopy = new Uint8Array(dLen)
      let prevAt = -1
      for (let e = 0; e < entries; e++) {
        await need(width, 'an entry')
        const at = pos - bufStart
        if (e > 0) {
          const order = prevAt >= 0 ? compareBytes(buf, prevAt, buf, at, dLen) : compareBytes(prevCopy, 0, buf, at, dLen)
          if (order > 0) throw new CarBadIndexError('index entries are not sorted')
        }
        pos += dLen
        const offset = u64('entry offset')
        visit(code, buf, at, dLen, offset)
        if (pos + width > bufEnd) {
          prevCopy.set(buf.subarray(at, at + dLen))
          prevAt = -1
        } else prevAt = at
      }
    }
  }

  if (codec === INDEX_SORTED) await readBuckets(-1)
  else {
    await need(4, 'the code count')
    const codes = i32('code count')
    let lastCode = -1
    for (let c = 0; c < codes; c++) {
      await need(8, 'a multihash code')
      const code = u64('multihash code')
      if (code <= lastCode) throw new CarBadIndexError('multihash codes are not sorted')
      lastCode = code
      await readBuckets(code)
    }
  }
  if (pos !== end) throw new CarBadIndexError(`${end - pos} bytes follow the index`)
  return codec as IndexCodec
}

function compareBytes(x: Uint8Array, a: number, y: Uint8Array, b: number, len: number): number {
  for (let k = 0; k < len; k++) {
    const d = x[a + k] - y[b + k]
    if (d !== 0) return d
  }
  return 0
}
