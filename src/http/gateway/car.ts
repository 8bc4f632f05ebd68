/**
 * CARv1 bytes from a block stream: a header `{ roots, version: 1 }` then one section per block (uvarint of
 * CID plus data length, CID bytes, data). Small sections are gathered into 64 KiB chunks; a large block's
 * bytes are passed through uncopied. https://ipld.io/specs/transport/car/carv1/
 */
import * as dagCbor from '@ipld/dag-cbor'
import { varint } from 'multiformats'
import type { CID } from 'multiformats/cid'
import type { Block } from '../../store/dag/types.ts'

const CHUNK = 64 << 10
/** Blocks at least this large are sent as their own chunk instead of being copied. */
const PASS_THROUGH = 16 << 10

/** The CARv1 header bytes (with their length prefix) for `roots`. */
export function carHeader(roots: CID[]): Uint8Array {
  const body = dagCbor.encode({ roots, version: 1 })
  const out = new Uint8Array(varint.encodingLength(body.length) + body.length)
  varint.encodeTo(body.length, out, 0)
  out.set(body, out.length - body.length)
  return out
}

/** Streams a CARv1 of `blocks` with `roots` in its header. */
export async function* encodeCar(roots: CID[], blocks: AsyncIterable<Block>): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(CHUNK)
  let used = 0
  const header = carHeader(roots)
  buf.set(header, 0)
  used = header.length
  for await (const { cid, bytes } of blocks) {
    const cidBytes = cid.bytes
    const length = cidBytes.length + bytes.length
    const prefix = varint.encodingLength(length) + cidBytes.length
    const inline = bytes.length < PASS_THROUGH
    const need = prefix + (inline ? bytes.length : 0)
    if (used + need > buf.length) {
      if (used > 0) yield buf.subarray(0, used)
      buf = new Uint8Array(Math.max(CHUNK, need))
      used = 0
    }
    varint.encodeTo(length, buf, used)
    used += varint.encodingLength(length)
    buf.set(cidBytes, used)
    used += cidBytes.length
    if (inline) {
      buf.set(bytes, used)
      used += bytes.length
    } else {
      yield buf.subarray(0, used)
      buf = new Uint8Array(CHUNK)
      used = 0
      yield bytes
    }
  }
  if (used > 0) yield buf.subarray(0, used)
}
