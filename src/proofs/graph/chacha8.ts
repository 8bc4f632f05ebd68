/**
 * ChaCha with 8 rounds as `rand_chacha::ChaCha8Rng` runs it: a 32-byte seed as the key, a 64-bit block
 * counter from 0 and a zero 64-bit stream id; the output is the keystream read as little-endian 32-bit
 * words, and `gen::<u64>()` takes two consecutive words, low first. The DRG draws each node's parents from
 * a generator seeded with the graph seed and the node index (storage-proofs-core drgraph.rs).
 * https://cr.yp.to/chacha/chacha-20080128.pdf
 */

const state = new Uint32Array(16)

/** Writes the 16 words of keystream block `counter` for `key` (8 little-endian words) into `out`. */
export function chacha8Block(key: Uint32Array, counter: number, out: Uint32Array): void {
  let x0 = 0x61707865
  let x1 = 0x3320646e
  let x2 = 0x79622d32
  let x3 = 0x6b206574
  let x4 = key[0]
  let x5 = key[1]
  let x6 = key[2]
  let x7 = key[3]
  let x8 = key[4]
  let x9 = key[5]
  let x10 = key[6]
  let x11 = key[7]
  let x12 = counter >>> 0
  let x13 = Math.floor(counter / 0x100000000) >>> 0
  let x14 = 0
  let x15 = 0
  state[0] = x0
  state[1] = x1
  state[2] = x2
  state[3] = x3
  state[4] = x4
  state[5] = x5
  state[6] = x6
  state[7] = x7
  state[8] = x8
  state[9] = x9
  state[10] = x10
  state[11] = x11
  state[12] = x12
  state[13] = x13
  state[14] = 0
  state[15] = 0
  for (let round = 0; round < 8; round += 2) {
    // Column rounds.
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 16) | (x12 >>> 16)
    x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 12) | (x4 >>> 20)
    x0 = (x0 + x4) | 0; x12 ^= x0; x12 = (x12 << 8) | (x12 >>> 24)
    x8 = (x8 + x12) | 0; x4 ^= x8; x4 = (x4 << 7) | (x4 >>> 25)
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 16) | (x13 >>> 16)
    x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 12) | (x5 >>> 20)
    x1 = (x1 + x5) | 0; x13 ^= x1; x13 = (x13 << 8) | (x13 >>> 24)
    x9 = (x9 + x13) | 0; x5 ^= x9; x5 = (x5 << 7) | (x5 >>> 25)
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 16) | (x14 >>> 16)
    x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 12) | (x6 >>> 20)
    x2 = (x2 + x6) | 0; x14 ^= x2; x14 = (x14 << 8) | (x14 >>> 24)
    x10 = (x10 + x14) | 0; x6 ^= x10; x6 = (x6 << 7) | (x6 >>> 25)
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 16) | (x15 >>> 16)
    x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 12) | (x7 >>> 20)
    x3 = (x3 + x7) | 0; x15 ^= x3; x15 = (x15 << 8) | (x15 >>> 24)
    x11 = (x11 + x15) | 0; x7 ^= x11; x7 = (x7 << 7) | (x7 >>> 25)
    // Diagonal rounds.
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 16) | (x15 >>> 16)
    x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 12) | (x5 >>> 20)
    x0 = (x0 + x5) | 0; x15 ^= x0; x15 = (x15 << 8) | (x15 >>> 24)
    x10 = (x10 + x15) | 0; x5 ^= x10; x5 = (x5 << 7) | (x5 >>> 25)
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 16) | (x12 >>> 16)
    x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 12) | (x6 >>> 20)
    x1 = (x1 + x6) | 0; x12 ^= x1; x12 = (x12 << 8) | (x12 >>> 24)
    x11 = (x11 + x12) | 0; x6 ^= x11; x6 = (x6 << 7) | (x6 >>> 25)
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 16) | (x13 >>> 16)
    x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 12) | (x7 >>> 20)
    x2 = (x2 + x7) | 0; x13 ^= x2; x13 = (x13 << 8) | (x13 >>> 24)
    x8 = (x8 + x13) | 0; x7 ^= x8; x7 = (x7 << 7) | (x7 >>> 25)
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 16) | (x14 >>> 16)
    x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 12) | (x4 >>> 20)
    x3 = (x3 + x4) | 0; x14 ^= x3; x14 = (x14 << 8) | (x14 >>> 24)
    x9 = (x9 + x14) | 0; x4 ^= x9; x4 = (x4 << 7) | (x4 >>> 25)
  }
  out[0] = x0 + state[0]
  out[1] = x1 + state[1]
  out[2] = x2 + state[2]
  out[3] = x3 + state[3]
  out[4] = x4 + state[4]
  out[5] = x5 + state[5]
  out[6] = x6 + state[6]
  out[7] = x7 + state[7]
  out[8] = x8 + state[8]
  out[9] = x9 + state[9]
  out[10] = x10 + state[10]
  out[11] = x11 + state[11]
  out[12] = x12 + state[12]
  out[13] = x13 + state[13]
  out[14] = x14 + state[14]
  out[15] = x15 + state[15]
}

/** Reads a 32-byte seed as the eight little-endian key words of `chacha8Block`. */
export function chachaKey(seed: Uint8Array): Uint32Array {
  const key = new Uint32Array(8)
  const v = new DataView(seed.buffer, seed.byteOffset, 32)
  for (let i = 0; i < 8; i++) key[i] = v.getUint32(4 * i, true)
  return key
}
