/**
 * The UnixFS `Data` protobuf carried in a dag-pb node's Data field: type, inline bytes, file size,
 * blocksizes, HAMT hash type and fanout. Decoded here because @ipld/unixfs 3.0.0's `decode` throws on every
 * file node with links (it reads `blocksizes` from the wrong object), so a multi-block file cannot be
 * read with it. https://github.com/ipfs/specs/blob/main/UNIXFS.md#dag-pb-node
 */

/** UnixFS node types (the `Type` enum). */
export const UnixfsType = {
  Raw: 0,
  Directory: 1,
  File: 2,
  Metadata: 3,
  Symlink: 4,
  HAMTShard: 5,
} as const

/** Multihash code of murmur3-x64-64, the only HAMT hash UnixFS defines. */
export const HAMT_HASH_MURMUR3 = 0x22

/** The decoded UnixFS Data message (metadata fields mode/mtime are skipped). */
export interface UnixfsData {
  type: number
  data?: Uint8Array
  filesize?: number
  blocksizes: number[]
  hashType?: number
  fanout?: number
}

/** Thrown for bytes that are not a UnixFS Data message; callers wrap it with the block's CID. */
export class UnixfsDataError extends Error {
  override name = 'UnixfsDataError'
}

class Reader {
  pos = 0
  constructor(readonly bytes: Uint8Array) {}

  varint(): number {
    let value = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) throw new UnixfsDataError('truncated varint')
      const b = this.bytes[this.pos++]
      value += (b & 0x7f) * scale
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw new UnixfsDataError('varint beyond 2^53')
        return value
      }
      scale *= 128
    }
    throw new UnixfsDataError('varint longer than 10 bytes')
  }

  bytesField(): Uint8Array {
    const len = this.varint()
    if (this.pos + len > this.bytes.length) throw new UnixfsDataError('truncated length-delimited field')
    const out = this.bytes.subarray(this.pos, this.pos + len)
    this.pos += len
    return out
  }

  skip(wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.advance(8)
    else if (wire === 2) this.bytesField()
    else if (wire === 5) this.advance(4)
    else throw new UnixfsDataError(`unsupported wire type ${wire}`)
  }

  private advance(n: number): void {
    if (this.pos + n > this.bytes.length) throw new UnixfsDataError('truncated fixed field')
    this.pos += n
  }
}

/** Decodes a UnixFS Data message; throws UnixfsDataError for malformed bytes or a missing Type. */
export function decodeUnixfsData(bytes: Uint8Array): UnixfsData {
  const r = new Reader(bytes)
  let type: number | undefined
  const out: UnixfsData = { type: -1, blocksizes: [] }
  while (r.pos < bytes.length) {
    const key = r.varint()
    const field = Math.floor(key / 8)
    const wire = key & 7
    if (field === 1 && wire === 0) type = r.varint()
    else if (field === 2 && wire === 2) out.data = r.bytesField()
    else if (field === 3 && wire === 0) out.filesize = r.varint()
    else if (field === 4 && wire === 0) out.blocksizes.push(r.varint())
    else if (field === 4 && wire === 2) {
      const packed = new Reader(r.bytesField())
      while (packed.pos < packed.bytes.length) out.blocksizes.push(packed.varint())
    } else if (field === 5 && wire === 0) out.hashType = r.varint()
    else if (field === 6 && wire === 0) out.fanout = r.varint()
    else r.skip(wire)
  }
  if (type === undefined) throw new UnixfsDataError('no Type field')
  out.type = type
  return out
}

/** Whether a decoded node holds file bytes (a File, or a Raw leaf of an old-style file). */
export function isFileNode(d: UnixfsData): boolean {
  return d.type === UnixfsType.File || d.type === UnixfsType.Raw
}

/**
 * The number of content bytes under a file node as its children lay them out: inline data plus
 * blocksizes (what byte ranges are mapped with), or `filesize` for a node without either.
 */
export function fileSize(d: UnixfsData): number {
  if (d.blocksizes.length === 0 && d.data === undefined) return d.filesize ?? 0
  let size = d.data?.length ?? 0
  for (const s of d.blocksizes) size += s
  return size
}
