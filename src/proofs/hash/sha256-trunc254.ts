/**
 * SHA-256 truncated to 254 bits: the hash of Filecoin's piece trees (commP, CommD, tree_d) and of petal's
 * stand-ins for Poseidon. The digest's last byte has its top two bits cleared so every node is a valid
 * BLS12-381 scalar. Multihash 0x1012 `sha2-256-trunc254-padded`.
 * https://github.com/filecoin-project/FIPs/blob/master/FRCs/frc-0069.md
 */
import * as nodeCrypto from 'node:crypto'

/** Bytes in one tree node. */
export const NODE_SIZE = 32

type OneShotHash = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array
/** node:crypto's one-shot `hash` (Node ≥ 21.7, Bun, Deno) skips the hasher object: about twice as fast per node. */
const oneShot = (nodeCrypto as unknown as { hash?: OneShotHash }).hash
const pair = new Uint8Array(64)

/** Clears the top two bits of byte 31 in place and returns the same array. */
export function trunc254(digest: Uint8Array): Uint8Array {
  digest[31] &= 0x3f
  return digest
}

/** sha256(data) with the top two bits of the last byte cleared. */
export function sha256Trunc254(data: Uint8Array): Uint8Array {
  if (oneShot) return trunc254(new Uint8Array(oneShot('sha256', data, 'buffer')))
  const d = nodeCrypto.createHash('sha256').update(data).digest()
  return trunc254(new Uint8Array(d.buffer, d.byteOffset, 32))
}

/** The parent of two 32-byte nodes: sha256Trunc254(left ‖ right). */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (oneShot) {
    pair.set(left, 0)
    pair.set(right, 32)
    return trunc254(new Uint8Array(oneShot('sha256', pair, 'buffer')))
  }
  const d = nodeCrypto.createHash('sha256').update(left).update(right).digest()
  return trunc254(new Uint8Array(d.buffer, d.byteOffset, 32))
}
