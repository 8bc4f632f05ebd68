/** Block CIDs for a layout: sha2-256 or blake2b-256, or an identity CID for small blocks when inlining. */
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { sha256 } from '../car/hashing.ts'
import type { UnixfsLayout } from './layout.ts'

const SHA2_256 = 0x12
const BLAKE2B_256 = 0xb220
const IDENTITY = 0x00

/** Makes CIDs for blocks of one layout. */
export type LinkMaker = (codec: number, bytes: Uint8Array) => CID

/** The CID function of `layout`: sha2-256 by `sha256` (libpetal when installed), blake2b-256 by node:crypto. */
export function linkMaker(layout: UnixfsLayout): LinkMaker {
  const algorithm = layout.hash === 'sha2-256' ? 'sha256' : 'blake2b256'
  const code = layout.hash === 'sha2-256' ? SHA2_256 : BLAKE2B_256
  const inline = layout.inlineLimit
  return (codec, bytes) => {
    if (inline > 0 && bytes.length <= inline) return CID.createV1(codec, Digest.create(IDENTITY, bytes.slice()))
    const d = code === SHA2_256 ? sha256(bytes) : createHash(algorithm).update(bytes).digest()
    return CID.createV1(codec, Digest.create(code, new Uint8Array(d.buffer, d.byteOffset, d.byteLength)))
  }
}

/** The node:crypto algorithm and multihash code of a layout's hash. */
export function layoutHash(layout: UnixfsLayout): { algorithm: 'sha256' | 'blake2b256'; code: number } {
  return layout.hash === 'sha2-256' ? { algorithm: 'sha256', code: SHA2_256 } : { algorithm: 'blake2b256', code: BLAKE2B_256 }
}

/** The CID of a raw leaf whose digest (under the layout's hash) is already known; never inlined. */
export function rawLeafCid(layout: UnixfsLayout, digest: Uint8Array): CID {
  return CID.createV1(0x55, Digest.create(layoutHash(layout).code, digest))
}
