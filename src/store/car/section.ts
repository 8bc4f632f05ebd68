/**
 * The last steps of reading a block, shared by every reader: build the CID, let a `resolve` hook replace
 * the stored bytes (ref-CARs), then verify the bytes against the CID unless the source is trusted.
 */
import { CID } from 'multiformats/cid'
import { CarBadCidError, CarCidMismatchError } from './errors.ts'
import { digestMatches } from './hashing.ts'
import type { DigestFunction, RawSection, ReadOptions } from './types.ts'

/** The CID whose bytes are `buf[start, end)`, as a CID object over its own copy (scan buffers are reused). */
export function cidAt(buf: Uint8Array, start: number, end: number): CID {
  try {
    return CID.decode(buf.slice(start, end))
  } catch (err) {
    throw new CarBadCidError('invalid CID bytes', { cause: err })
  }
}

/** Throws CarCidMismatchError unless `bytes` hash to `cid`. */
export function verifyBlock(cid: CID, bytes: Uint8Array, hashers?: Record<number, DigestFunction>, offset?: number): void {
  const mh = cid.multihash
  if (!digestMatches(mh.code, mh.digest, 0, mh.digest.length, bytes, hashers)) throw new CarCidMismatchError(cid.toString(), offset)
}

/** The block bytes of `raw`: resolved through the hook when there is one, verified unless trusted. */
export async function finishBlock(raw: RawSection, options: ReadOptions): Promise<Uint8Array> {
  let bytes = raw.bytes
  if (options.resolve !== undefined) bytes = await options.resolve(raw)
  if (options.trusted !== true) verifyBlock(raw.cid, bytes, options.hashers, raw.offset)
  return bytes
}
