/**
 * The TypeScript subtree hashers. Both fr32-pad 64 quads (8 KiB of leaves) at a time and hash them up to one
 * node. The default hashes each node with node:crypto's one-shot `hash` (native SHA-256, one call per node);
 * where that API is missing (Node < 21.7) a SHA-256 written in TypeScript works on big-endian words end to
 * end. Both are references the native library must match byte for byte, and both run the conformance suite.
 */
import * as nodeCrypto from 'node:crypto'
import { padQuad } from '../fr32/fr32.ts'
import { hashPairsWords, wordsToBytes, bytesToWords } from '../hash/sha256-words.ts'
import { log2 } from '../piece/size.ts'
import { SubtreeLengthError } from './errors.ts'
import type { PieceTreeHasher } from './types.ts'

/** Quads fr32-padded and hashed per block: 8 KiB of leaves, small enough to stay in L1. */
const BLOCK_QUADS = 64

const padded = new Uint8Array(BLOCK_QUADS * 128)
/** Views of each 64-byte pair of `padded`, made once: a view per hash call would cost a quarter of the time. */
const pairViews = Array.from({ length: BLOCK_QUADS * 2 }, (_, j) => padded.subarray(64 * j, 64 * j + 64))
const words = new Int32Array(BLOCK_QUADS * 32)
/** One pending node (8 words) per level of the subtree, and whether it is set. */
const stack = new Int32Array(64 * 8)
const filled = new Uint8Array(64)
const pair = new Int32Array(16)

/** Checks that `length` is 127 × 2^k and returns the quad count 2^k. */
export function subtreeQuads(length: number): number {
  const quads = length / 127
  if (!Number.isInteger(quads) || quads < 1 || 2 ** log2(quads) !== quads) throw new SubtreeLengthError(length)
  return quads
}

/** Writes to `out` the root of `payload` (127 × 2^k bytes), hashing with the TypeScript SHA-256 on words. */
export function subtreeRootJs(payload: Uint8Array, out: Uint8Array): void {
  const quads = subtreeQuads(payload.length)
  const block = Math.min(quads, BLOCK_QUADS)
  const blockLevel = log2(block) + 2
  filled.fill(0)
  for (let q = 0; q < quads; q += block) {
    for (let i = 0; i < block; i++) padQuad(payload, (q + i) * 127, padded, i * 128)
    bytesToWords(padded, 0, words, 0, block * 32)
    for (let nodes = block * 4; nodes > 1; nodes >>= 1) hashPairsWords(words, 0, words, 0, nodes >> 1)
    push(words, blockLevel)
  }
  const top = log2(quads) + 2
  wordsToBytes(stack, top * 8, out, 0, 8)
}

/** Pushes the node in `node[0..8]` at `level`, combining with pending left siblings on the way up. */
function push(node: Int32Array, level: number): void {
  let src = node
  let at = 0
  while (filled[level]) {
    // Right first: `src` may be `pair` itself.
    pair.set(src.subarray(at, at + 8), 8)
    pair.set(stack.subarray(level * 8, level * 8 + 8), 0)
    hashPairsWords(pair, 0, pair, 0, 1)
    filled[level] = 0
    src = pair
    at = 0
    level++
  }
  stack.set(src.subarray(at, at + 8), level * 8)
  filled[level] = 1
}

type OneShotHash = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array
/** node:crypto `hash` (Node ≥ 21.7, Bun, Deno): no hasher object per call, so per-node cost is low. */
const oneShot = (nodeCrypto as unknown as { hash?: OneShotHash }).hash

/** Writes to `out` the root of `payload` (127 × 2^k bytes), hashing each node with node:crypto `hash`. */
export function subtreeRootCrypto(payload: Uint8Array, out: Uint8Array): void {
  if (!oneShot) {
    subtreeRootJs(payload, out)
    return
  }
  const quads = subtreeQuads(payload.length)
  const block = Math.min(quads, BLOCK_QUADS)
  const pending: Array<Uint8Array | undefined> = []
  const msg = new Uint8Array(64)
  for (let q = 0; q < quads; q += block) {
    for (let i = 0; i < block; i++) padQuad(payload, (q + i) * 127, padded, i * 128)
    // Each layer in place: node j overwrites bytes the pairs before it were read from.
    for (let nodes = block * 4; nodes > 1; nodes >>= 1) {
      for (let j = 0; j < nodes >> 1; j++) {
        const digest = oneShot('sha256', pairViews[j], 'buffer')
        digest[31] &= 0x3f
        padded.set(digest, 32 * j)
      }
    }
    let node: Uint8Array = padded.slice(0, 32)
    let level = log2(block) + 2
    for (let left = pending[level]; left; left = pending[level]) {
      msg.set(left, 0)
      msg.set(node, 32)
      node = oneShot('sha256', msg, 'buffer')
      node[31] &= 0x3f
      pending[level] = undefined
      level++
    }
    pending[level] = node
  }
  out.set(pending[log2(quads) + 2]!)
}

/** The TypeScript SHA-256 on words: the fallback where node:crypto has no one-shot `hash`. */
export const jsTreeHasher: PieceTreeHasher = {
  name: 'typescript:js-sha256',
  subtreeRoot: subtreeRootJs,
}

/** The TypeScript subtree hasher the TypeScript path uses: node:crypto `hash` per node where available. */
export const typescriptTreeHasher: PieceTreeHasher = oneShot ? { name: 'typescript', subtreeRoot: subtreeRootCrypto } : { ...jsTreeHasher, name: 'typescript' }
