/**
 * The keyed Feistel permutation behind the expander parents (storage-proofs-core crypto/feistel.rs): an
 * index in [0, n) is split into two halves of `halfBits` bits (the smallest even width whose square covers
 * n), run through three rounds whose round function is the low bits of BLAKE2b-512 over
 * u64_BE(right) ‖ u64_BE(key), and re-encrypted until it lands below n (cycle walking). The round function
 * only ever sees a half, so it is tabulated once per graph: 3 × 2^halfBits BLAKE2b calls instead of six per
 * expander parent.
 */
import { createHash } from 'node:crypto'

/** Rounds of the permutation (FEISTEL_ROUNDS). */
export const FEISTEL_ROUNDS = 3

/** A Feistel permutation of [0, n) with its round-function table. */
export interface Feistel {
  /** Size of the permuted domain (nodes × expander degree). */
  readonly n: number
  /** Width of each half. */
  readonly halfBits: number
  /** Round function values: `table[round * 2^halfBits + right]`. */
  readonly table: Uint32Array
}

/** Smallest k ≥ 1 with 4^k ≥ n: the half width (feistel.rs `precompute`). */
export function feistelHalfBits(n: number): number {
  let pow4 = 4
  let log4 = 1
  while (pow4 < n) {
    pow4 *= 4
    log4++
  }
  return log4
}

/** Builds the permutation of [0, n) for the first three of `keys` (u64 each). */
export function createFeistel(n: number, keys: readonly bigint[]): Feistel {
  const halfBits = feistelHalfBits(n)
  const half = 2 ** halfBits
  const mask = half - 1
  const table = new Uint32Array(FEISTEL_ROUNDS * half)
  const input = new Uint8Array(16)
  const view = new DataView(input.buffer)
  for (let round = 0; round < FEISTEL_ROUNDS; round++) {
    view.setBigUint64(8, keys[round], false)
    for (let right = 0; right < half; right++) {
      view.setBigUint64(0, BigInt(right), false)
      const d = createHash('blake2b512').update(input).digest()
      // The first eight digest bytes read big-endian, masked: only the low 32 bits can survive the mask.
      table[round * half + right] = (((d[4] << 24) | (d[5] << 16) | (d[6] << 8) | d[7]) & mask) >>> 0
    }
  }
  return { n, halfBits, table }
}

function encode(f: Feistel, index: number): number {
  const half = 2 ** f.halfBits
  let left = Math.floor(index / half)
  let right = index % half
  for (let round = 0; round < FEISTEL_ROUNDS; round++) {
    const next = left ^ f.table[round * half + right]
    left = right
    right = next
  }
  return left * half + right
}

/** The image of `index` (< n) under the permutation. */
export function feistelPermute(f: Feistel, index: number): number {
  let u = encode(f, index)
  while (u >= f.n) u = encode(f, u)
  return u
}

function decode(f: Feistel, index: number): number {
  const half = 2 ** f.halfBits
  let left = Math.floor(index / half)
  let right = index % half
  for (let round = FEISTEL_ROUNDS - 1; round >= 0; round--) {
    const prev = right ^ f.table[round * half + left]
    right = left
    left = prev
  }
  return left * half + right
}

/** The preimage of `index` (< n): `feistelInvert(f, feistelPermute(f, i)) === i`. */
export function feistelInvert(f: Feistel, index: number): number {
  let u = decode(f, index)
  while (u >= f.n) u = decode(f, u)
  return u
}
