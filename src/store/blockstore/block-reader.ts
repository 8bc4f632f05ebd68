/**
 * Reads blocks out of a CAR payload through an index: one positional read per block when the index knows
 * the block size, the section's CID compared with the lookup (so a wrong index can never hand out the
 * wrong block), then the resolve hook and hash verification. Shared by the ReadOnly and ReadWrite stores.
 */
import type { CID } from 'multiformats/cid'
import { cidParts, parseCid } from '../car/cid-bytes.ts'
import { DEFAULT_MAX_SECTION_SIZE, IDENTITY } from '../car/constants.ts'
import { CarIndexMismatchError, CarTruncatedError } from '../car/errors.ts'
import { finishBlock } from '../car/section.ts'
import type { BlockLocation, ByteSource, IndexLookup, ReadOptions } from '../car/types.ts'
import { decodeVarint, varintLength } from '../car/varint.ts'
import { BlockNotFoundError } from './errors.ts'

/** Options of block reading. */
export interface BlockReaderOptions extends ReadOptions {
  /** Match whole CIDs (codec and version too) instead of multihashes (default false; Lotus imports use true). */
  wholeCids?: boolean
  /** Identity CIDs are looked up in the index rather than answered from their digest (default false). */
  storeIdentityCids?: boolean
}

// Bytes read beyond a known block size to cover the varint and the CID in the same read.
const HEADROOM = 80
const PEEK = 4096
const SCRATCH = 64 << 10

/** A section read from disk: the buffer, where the CID and the block bytes are. */
interface ReadSection {
  buf: Uint8Array
  cidStart: number
  multihashStart: number
  digestStart: number
  cidEnd: number
  total: number
  offset: number
}

/** Block lookups over `source` (the whole CAR) with `index` (payload offsets). */
export class BlockReader {
  readonly #scratch = new Uint8Array(SCRATCH)

  constructor(
    readonly source: ByteSource,
    readonly dataOffset: number,
    /** Absolute end of the readable payload (it grows while a ReadWrite store appends). */
    readonly dataEnd: () => number,
    readonly index: IndexLookup,
    readonly options: BlockReaderOptions = {},
  ) {}

  /** Whether `cid` is answered from its own digest. */
  isInlineIdentity(cid: CID): boolean {
    return cid.multihash.code === IDENTITY && this.options.storeIdentityCids !== true
  }

  async has(cid: CID): Promise<boolean> {
    if (this.isInlineIdentity(cid)) return true
    if (this.options.wholeCids !== true) return this.index.locate(cid.multihash.bytes) !== undefined
    return (await this.#find(cid, true)) !== undefined
  }

  async get(cid: CID): Promise<Uint8Array> {
    if (this.isInlineIdentity(cid)) return cid.multihash.digest
    const s = await this.#find(cid)
    if (s === undefined) throw new BlockNotFoundError(cid)
    return finishBlock(
      { cid, bytes: s.buf.subarray(s.cidEnd, s.total), offset: s.offset, length: s.total, blockOffset: s.offset + s.cidEnd, blockLength: s.total - s.cidEnd },
      this.options,
    )
  }

  async getSize(cid: CID): Promise<number> {
    if (this.isInlineIdentity(cid)) return cid.multihash.digest.length
    // With a resolve hook the stored bytes are not the block: resolving is the only way to know.
    if (this.options.resolve !== undefined) return (await this.get(cid)).length
    if (this.options.wholeCids !== true) {
      const loc = this.index.locate(cid.multihash.bytes)
      if (loc === undefined) throw new BlockNotFoundError(cid)
      if (loc.size >= 0) return loc.size
    }
    const s = await this.#find(cid, true)
    if (s === undefined) throw new BlockNotFoundError(cid)
    return s.total - s.cidEnd
  }

  /**
   * The section holding `cid` (by multihash, or whole CID), checked against the lookup. With `headerOnly`
   * the block bytes may be left unread (sizes and CIDs are all the caller wants).
   */
  async #find(cid: CID, headerOnly = false): Promise<ReadSection | undefined> {
    const mh = cid.multihash.bytes
    for (let nth = 0; ; nth++) {
      const loc = this.index.locate(mh, nth)
      if (loc === undefined) return undefined
      const s = await this.#read(loc, headerOnly)
      if (!sameBytes(s.buf, s.multihashStart, s.cidEnd, mh)) {
        if (!sameBytes(s.buf, s.digestStart, s.cidEnd, cid.multihash.digest)) {
          throw new CarIndexMismatchError(`the index sends ${cid.toString()} to payload offset ${loc.offset}, which holds another block`)
        }
        // A digest-keyed (IndexSorted) hit for another hash function with the same digest.
        continue
      }
      if (this.options.wholeCids === true && !sameBytes(s.buf, s.cidStart, s.cidEnd, cid.bytes)) continue
      return s
    }
  }

  async #read(loc: BlockLocation, headerOnly: boolean): Promise<ReadSection> {
    const abs = this.dataOffset + loc.offset
    const limit = this.dataEnd() - abs
    if (loc.offset < 0 || limit <= 0) throw new CarIndexMismatchError(`index location ${loc.offset} is outside the payload`)
    const first = Math.min(limit, loc.size >= 0 ? loc.size + HEADROOM : PEEK)
    // A synchronous source reads into the scratch buffer; only the section is copied out, so no caller
    // ever holds the scratch across an await. Other sources get a buffer per read.
    const scratch = this.source.synchronous === true && first <= SCRATCH
    let buf = scratch ? this.#scratch : new Uint8Array(first)
    const r = this.source.read(scratch ? buf.subarray(0, first) : buf, abs)
    const n = typeof r === 'number' ? r : await r
    const len = decodeVarint(buf, 0, n)
    if (len <= 0) throw new CarIndexMismatchError(`index location ${loc.offset} does not point at a section`)
    const vl = varintLength
    const total = vl + len
    if (len > (this.options.maxSectionSize ?? DEFAULT_MAX_SECTION_SIZE)) {
      throw new CarIndexMismatchError(`index location ${loc.offset} does not point at a section within the size cap`)
    }
    if (total > limit) throw new CarTruncatedError(`the section at payload offset ${loc.offset} runs past the end of the payload`)
    if (headerOnly && parseCid(buf, vl, Math.min(n, total))) {
      const header = vl + cidParts.length
      return { buf: buf.slice(0, header), cidStart: vl, multihashStart: cidParts.multihashStart, digestStart: cidParts.digestStart, cidEnd: header, total, offset: loc.offset }
    }
    if (total <= n) {
      if (scratch) buf = buf.slice(0, total)
    } else {
      const whole = new Uint8Array(total)
      whole.set(buf.subarray(0, n))
      const r2 = this.source.read(whole.subarray(n), abs + n)
      const m = typeof r2 === 'number' ? r2 : await r2
      if (m < total - n) throw new CarTruncatedError(`unexpected end of input in the section at payload offset ${loc.offset}`)
      buf = whole
    }
    if (!parseCid(buf, vl, total)) throw new CarIndexMismatchError(`index location ${loc.offset} does not point at a section`)
    // cidParts is module state: copy it out before the next await.
    return { buf, cidStart: vl, multihashStart: cidParts.multihashStart, digestStart: cidParts.digestStart, cidEnd: vl + cidParts.length, total, offset: loc.offset }
  }
}

function sameBytes(buf: Uint8Array, start: number, end: number, other: Uint8Array): boolean {
  if (end - start !== other.length) return false
  for (let i = 0; i < other.length; i++) if (buf[start + i] !== other[i]) return false
  return true
}
