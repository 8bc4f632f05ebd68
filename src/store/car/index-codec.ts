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
import { getCarNative } from './native.ts'
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
  const native = getCarNative()
  if (native !== null) {
    const bytes = native.encodeIndex(index.pool, index.keyStarts, index.offsets, n, codec, index.keyedBy === 'digest')
    if (bytes !== undefined) return bytes
  }
  const pool = index.pool
  const digestStart = new Uint32Array(n)
  const groupOf = new Uint32Array(n)
  const found: Array<{ code: number; width: number; count: number }> = []
  const byKey = new Map<string, number>()
  let last = -1
  const keyStarts = index.keyStarts
  const byMultihash = index.keyedBy === 'multihash'
  for (let id = 0; id < n; id++) {
    let start = keyStarts[id]
    const end = keyStarts[id + 1]
    let code = -1
    if (byMultihash) {
      // One-byte code and length (sha2-256 and most others) without the varint decoder.
      if (pool[start] < 0x80 && pool[start + 1] < 0x80 && end - start >= 2) {
        code = pool[start]
        start += 2
      } else {
        code = decodeVarint(pool, start, end)
        start += varintLength
        decodeVarint(pool, start, end)
        start += varintLength
      }
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
  // Where each entry goes: the bucket headers are written in order, the entries afterwards in one pass
  // over the pool in entry order (scattered writes are far cheaper than gathering the pool at random).
  const entryAt = new Float64Array(n)
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
      const ids = g.ids
      const width = g.width
      for (let j = 0; j < ids.length; j++) entryAt[ids[j]] = p + j * width
      p += byteLength
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
  writeEntries(out, entryAt, pool, digestStart, index.keyStarts, index.offsets, n)
  return out
}

/** Writes entry `id` (digest, then little-endian offset) at `entryAt[id]`, for every entry in pool order. */
function writeEntries(out: Uint8Array, entryAt: Float64Array, pool: Uint8Array, digestStart: Uint32Array, keyStarts: Uint32Array, offsets: Float64Array, n: number): void {
  for (let id = 0; id < n; id++) {
    let at = entryAt[id]
    const de = keyStarts[id + 1]
    for (let k = digestStart[id]; k < de; k++) out[at++] = pool[k]
    const off = offsets[id]
    const lo = off % TWO32
    const hi = (off - lo) / TWO32
    out[at] = lo
    out[at + 1] = lo >>> 8
    out[at + 2] = lo >>> 16
    out[at + 3] = lo >>> 24
    out[at + 4] = hi
    out[at + 5] = hi >>> 8
    out[at + 6] = hi >>> 16
    out[at + 7] = hi >>> 24
  }
}

/**
 * Sorts entry numbers by their digest bytes (all `dLen` long), equal digests in insertion order. The first
 * four digest bytes are read once, in pool order, into a key column; a stable LSD radix sort (11, 11, 10 bits)
 * then moves keys and entry numbers together, so no pass reads the pool at random (on a VM a random read
 * of a large pool costs a TLB miss). Entries whose first four bytes tie are ordered by the rest afterwards.
 */
function sortByDigest(ids: Uint32Array, pool: Uint8Array, digestStart: Uint32Array, dLen: number): Uint32Array {
  const n = ids.length
  if (n < 2) return ids
  let keys = new Uint32Array(n)
  const head = Math.min(4, dLen)
  for (let i = 0; i < n; i++) {
    const p = digestStart[ids[i]]
    let k = 0
    for (let b = 0; b < 4; b++) k = (k << 8) | (b < head ? pool[p + b] : 0)
    keys[i] = k >>> 0
  }
  // The three histograms in one pass; a pass whose digit is the same everywhere is skipped.
  const counts = new Uint32Array(3 * 2048)
  for (let i = 0; i < n; i++) {
    const k = keys[i]
    counts[k & 0x7ff]++
    counts[2048 + ((k >>> 11) & 0x7ff)]++
    counts[4096 + (k >>> 22)]++
  }
  let a: Uint32Array = ids
  let b: Uint32Array = new Uint32Array(n)
  let keys2 = new Uint32Array(n)
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * 2048
    const shift = pass * 11
    const digit = (keys[0] >>> shift) & 0x7ff
    if (counts[base + digit] === n) continue
    let sum = 0
    for (let d = 0; d < 2048; d++) {
      const c = counts[base + d]
      counts[base + d] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i]
      const at = counts[base + ((k >>> shift) & 0x7ff)]++
      keys2[at] = k
      b[at] = a[i]
    }
    const ta = a
    a = b
    b = ta
    const tk = keys
    keys = keys2
    keys2 = tk
  }
  if (dLen <= 4) return a
  const compare = (x: number, y: number) => {
    const px = digestStart[x]
    const py = digestStart[y]
    for (let k = 4; k < dLen; k++) {
      const d = pool[px + k] - pool[py + k]
      if (d !== 0) return d
    }
    return x - y
  }
  let runStart = 0
  for (let i = 1; i <= n; i++) {
    if (i < n && keys[i] === keys[runStart]) continue
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
  const native = getCarNative()
  // With libpetal, whole runs of entries are copied into the index columns in one call (7x faster on 1M
  // entries); the walk still checks every header and raises every error.
  const bulk: IndexBulkVisitor | undefined =
    native === null
      ? undefined
      : (code, buf, at, width, n, prev) => {
          const prefix = code < 0 ? EMPTY : multihashPrefix(code, width - 8)
          index!.reserve(n, n * (prefix.length + width - 8))
          const columns = index!.columns()
          const done = native.readIndexEntries(buf, at, width, n, prefix, prev, columns)
          index!.commitColumns(columns)
          return done
        }
  const codec = await walkIndex(
    source,
    (code, buf, dStart, dLen, offset) => {
      if (code < 0) index!.add(buf, dStart, dStart + dLen, offset, UNKNOWN_SIZE)
      else index!.add(multihashOf(code, buf, dStart, dLen), 0, multihashLength, offset, UNKNOWN_SIZE)
    },
    { ...options, bulk, onCodec: (c) => void (index = new CarIndex(c === INDEX_SORTED ? 'digest' : 'multihash')) },
  )
  return { codec, index: index! }
}

const EMPTY = new Uint8Array(0)

/** The varints that start a multihash of `code` with a digest of `len` bytes. */
function multihashPrefix(code: number, len: number): Uint8Array {
  const out = new Uint8Array(20)
  return out.subarray(0, encodeVarintInto(len, out, encodeVarintInto(code, out, 0)))
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

/**
 * Takes `n` whole entries of one bucket at once, `buf[at, at + n × width)`, `prev` being the digest before
 * the first (undefined for a bucket's first entry); returns how many it took, in order, stopping before any
 * entry that breaks the walk's rules (which the walk then reads alone and refuses).
 */
export type IndexBulkVisitor = (code: number, buf: Uint8Array, at: number, width: number, n: number, prev: Uint8Array | undefined) => number

const WINDOW = 1 << 20

/**
 * Walks the index in `source` entry by entry, checking its structure as go-car would read it (known codec,
 * sane counts, widths ≥ 8, byte lengths a multiple of the width, codes and widths ascending, digests
 * sorted, offsets below 2^53, nothing after the last bucket). Returns the codec.
 */
export async function walkIndex(
  source: ByteSource,
  visit: IndexVisitor,
  options: { start?: number; end?: number; signal?: AbortSignal; onCodec?: (codec: IndexCodec) => void; bulk?: IndexBulkVisitor } = {},
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
        // Whole entries in the window go to `bulk` first; what it leaves (up to the entry it refuses) is
        // read one by one below, so errors are raised here, the same with or without it.
        const whole = Math.min(entries - e, Math.floor((bufEnd - pos) / width))
        if (options.bulk !== undefined && whole > 1) {
          const prev = e === 0 ? undefined : prevAt >= 0 ? buf.subarray(prevAt, prevAt + dLen) : prevCopy
          const done = options.bulk(code, buf, pos - bufStart, width, whole, prev)
          if (done > 0) {
            const lastAt = pos - bufStart + (done - 1) * width
            pos += done * width
            e += done - 1
            if (pos + width > bufEnd) {
              prevCopy.set(buf.subarray(lastAt, lastAt + dLen))
              prevAt = -1
            } else prevAt = lastAt
            continue
          }
        }
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
