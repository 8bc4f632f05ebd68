/**
 * The TypeScript subtree hasher: fr32-pads 64 quads at a time, converts them to big-endian words once, and
 * hashes the 256 leaves up to one node without leaving word form. This is the reference the native library
 * must match byte for byte.
 */
import { padQuad } from '../fr32/fr32.ts'
import { hashPairsWords, wordsToBytes, bytesToWords } from '../hash/sha256-words.ts'
import { log2 } from '../piece/size.ts'
import { SubtreeLengthError } from './errors.ts'
import type { PieceTreeHasher } from './types.ts'

/** Quads fr32-padded and hashed per block: 8 KiB of leaves, small enough to stay in L1. */
const BLOCK_QUADS = 64

const padded = new Uint8Array(BLOCK_QUADS * 128)
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

/** Writes to `out` the root of the fr32 tree over `payload` (127 × 2^k bytes). */
export function subtreeRootTs(payload: Uint8Array, out: Uint8Array): void {
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

/** The pure TypeScript subtree hasher. */
export const typescriptTreeHasher: PieceTreeHasher = {
  name: 'typescript',
  subtreeRoot: subtreeRootTs,
}
