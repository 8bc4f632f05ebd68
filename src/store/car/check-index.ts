/**
 * Checks an index from outside (embedded in a CARv2 or a detached file) against the payload before
 * trusting it. `cheap` samples a few entries and re-reads their sections; `full` rebuilds the index from
 * the payload and compares every entry (identity CIDs may be absent unless the CAR says fully indexed).
 * A full check first compares encodings: an index written the canonical way (go-car's and petal's writers)
 * encodes byte for byte as the one rebuilt from the payload, which the native kernels build and encode in
 * a fraction of the time of an entry-by-entry comparison; any difference is then looked at entry by entry.
 */
import type { CarIndex } from './car-index.ts'
import { cidParts, parseCid } from './cid-bytes.ts'
import { IDENTITY, INDEX_SORTED, MULTIHASH_INDEX_SORTED } from './constants.ts'
import { CarIndexMismatchError } from './errors.ts'
import { buildIndex } from './generate-index.ts'
import { encodeIndex } from './index-codec.ts'
import { scanSections } from './scan.ts'
import type { ByteSource, CarLayout, ProgressOptions } from './types.ts'
import { decodeVarint, varintLength } from './varint.ts'

/** How thoroughly to check an index from outside. */
export type IndexCheck = 'none' | 'cheap' | 'full'

const SAMPLES = 32
// The smallest possible section: 1-byte varint + a 4-byte CIDv1 with an empty digest.
const MIN_SECTION = 5

/** Throws CarIndexMismatchError unless `index` plausibly (cheap) or exactly (full) describes the payload. */
export async function checkIndex(source: ByteSource, layout: CarLayout, index: CarIndex, mode: IndexCheck, options: ProgressOptions = {}): Promise<void> {
  if (mode === 'none') return
  if (index.count * MIN_SECTION > layout.dataSize) throw new CarIndexMismatchError(`index has ${index.count} entries, more than the payload can hold`)
  if (mode === 'cheap') return checkSamples(source, layout, index)
  return checkAll(source, layout, index, options)
}

async function checkSamples(source: ByteSource, layout: CarLayout, index: CarIndex): Promise<void> {
  const n = index.count
  if (n === 0) return
  const step = Math.max(1, Math.floor(n / SAMPLES))
  const buf = new Uint8Array(4096)
  for (let id = 0; id < n; id += step) await checkEntry(source, layout, index, id, buf)
  await checkEntry(source, layout, index, n - 1, buf)
}

async function checkEntry(source: ByteSource, layout: CarLayout, index: CarIndex, id: number, scratch: Uint8Array): Promise<void> {
  const offset = index.offsetOf(id)
  const where = `index entry ${id} (payload offset ${offset})`
  if (offset < layout.headerLength || offset >= layout.dataSize) throw new CarIndexMismatchError(`${where} points outside the payload`)
  const want = Math.min(scratch.length, layout.dataSize - offset)
  const r = source.read(scratch.subarray(0, want), layout.dataOffset + offset)
  const got = typeof r === 'number' ? r : await r
  const len = decodeVarint(scratch, 0, got)
  if (len <= 0) throw new CarIndexMismatchError(`${where} does not point at a section`)
  const vl = varintLength
  let parsed = false
  try {
    parsed = parseCid(scratch, vl, Math.min(got, vl + len))
  } catch (err) {
    throw new CarIndexMismatchError(`${where} does not point at a section`, { cause: err })
  }
  if (!parsed) throw new CarIndexMismatchError(`${where} does not point at a readable CID`)
  const keyStart = index.keyedBy === 'multihash' ? cidParts.multihashStart : cidParts.digestStart
  const key = index.keyOf(id)
  const end = vl + cidParts.length
  let same = key.length === end - keyStart
  for (let i = 0; same && i < key.length; i++) same = key[i] === scratch[keyStart + i]
  if (!same) throw new CarIndexMismatchError(`${where} names a different block than the one stored there`)
  const size = index.sizeOf(id)
  if (size >= 0 && size !== len - cidParts.length) throw new CarIndexMismatchError(`${where} has the wrong block size`)
}

/** Whether `given` encodes exactly as the index rebuilt from the payload (false on any doubt). */
async function encodesAsRebuilt(source: ByteSource, layout: CarLayout, given: CarIndex, options: ProgressOptions): Promise<boolean> {
  // Encodings hold no block sizes: an index that knows some is checked entry by entry, sizes included.
  for (let id = 0; id < given.count; id++) if (given.sizeOf(id) >= 0) return false
  let built: CarIndex
  try {
    const includeIdentity = layout.v2?.fullyIndexed === true
    built = (await buildIndex(source, layout, { includeIdentity, keyedBy: given.keyedBy, onProgress: options.onProgress, signal: options.signal })).index
  } catch {
    return false // the entry-by-entry pass meets the same problem and names it
  }
  if (built.count !== given.count) return false
  const codec = given.keyedBy === 'digest' ? INDEX_SORTED : MULTIHASH_INDEX_SORTED
  const a = encodeIndex(built, codec)
  const b = encodeIndex(given, codec)
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

async function checkAll(source: ByteSource, layout: CarLayout, given: CarIndex, options: ProgressOptions): Promise<void> {
  if (await encodesAsRebuilt(source, layout, given, options)) return
  const byDigest = given.keyedBy === 'digest'
  const seen = new Uint8Array(given.count)
  let sections = 0
  let identity = 0
  let matchedIdentity = 0
  await scanSections(
    source,
    layout,
    (s) => {
      sections++
      const isIdentity = cidParts.hashCode === IDENTITY
      if (isIdentity) identity++
      const start = byDigest ? cidParts.digestStart : cidParts.multihashStart
      let id = given.find(s.buf, start, s.at + s.headerLength)
      while (id !== -1 && given.offsetOf(id) !== s.offset) id = given.nextOf(id)
      if (id === -1) {
        if (isIdentity) return
        throw new CarIndexMismatchError(`the block at payload offset ${s.offset} is missing from the index`)
      }
      if (seen[id] === 1) throw new CarIndexMismatchError(`index entry ${id} appears twice`)
      seen[id] = 1
      if (isIdentity) matchedIdentity++
      const size = given.sizeOf(id)
      if (size >= 0 && size !== s.length - s.headerLength) throw new CarIndexMismatchError(`index entry ${id} has the wrong block size`)
    },
    options,
  )
  const matched = sections - identity + matchedIdentity
  if (matched !== given.count) throw new CarIndexMismatchError(`index has ${given.count - matched} entries that match no section`)
  if (layout.v2?.fullyIndexed === true && matchedIdentity !== identity) {
    throw new CarIndexMismatchError('the CAR claims a full index but identity blocks are missing from it')
  }
}
