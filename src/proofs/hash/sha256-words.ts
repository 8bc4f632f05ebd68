/**
 * SHA-256 specialised for the 64-byte messages of a piece tree, on big-endian 32-bit words. A node is eight
 * words; its parent hashes sixteen. The second compression of every such hash processes the same padding
 * block, so its message schedule (plus the round constants) is precomputed once. Working on words end to end
 * lets a whole subtree be hashed without converting bytes between levels.
 */

const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
)

/** K[t] + W[t] for the padding block of a 64-byte message (0x80, zeros, bit length 512). */
const KW_PAD = (() => {
  const w = new Int32Array(64)
  w[0] = 0x80000000 | 0
  w[15] = 512
  for (let t = 16; t < 64; t++) w[t] = (sigma1(w[t - 2]) + w[t - 7] + sigma0(w[t - 15]) + w[t - 16]) | 0
  const kw = new Int32Array(64)
  for (let t = 0; t < 64; t++) kw[t] = (K[t] + w[t]) | 0
  return kw
})()

function sigma0(x: number): number {
  return ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
}
function sigma1(x: number): number {
  return ((x >>> 17) | (x << 15)) ^ ((x >>> 19) | (x << 13)) ^ (x >>> 10)
}

const W = new Int32Array(64)

/**
 * Hashes `count` node pairs: reads 16 words per pair from `src` at `s`, writes the 8-word truncated digest
 * (sha2-256-trunc254) of each to `dst` at `d`. `dst` may be `src` with `d ≤ s` (a layer hashed in place).
 */
export function hashPairsWords(src: Int32Array, s: number, dst: Int32Array, d: number, count: number): void {
  const w = W
  const k = K
  const kw = KW_PAD
  for (let i = 0; i < count; i++) {
    const p = s + 16 * i
    for (let t = 0; t < 16; t++) w[t] = src[p + t]
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]
      const y = w[t - 2]
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[t] = (s1 + w[t - 7] + s0 + w[t - 16]) | 0
    }
    let a = 0x6a09e667 | 0
    let b = 0xbb67ae85 | 0
    let c = 0x3c6ef372 | 0
    let dd = 0xa54ff53a | 0
    let e = 0x510e527f | 0
    let f = 0x9b05688c | 0
    let g = 0x1f83d9ab | 0
    let h = 0x5be0cd19 | 0
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + k[t] + w[t]) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
      h = g
      g = f
      f = e
      e = (dd + t1) | 0
      dd = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    const h0 = (a + 0x6a09e667) | 0
    const h1 = (b + 0xbb67ae85) | 0
    const h2 = (c + 0x3c6ef372) | 0
    const h3 = (dd + 0xa54ff53a) | 0
    const h4 = (e + 0x510e527f) | 0
    const h5 = (f + 0x9b05688c) | 0
    const h6 = (g + 0x1f83d9ab) | 0
    const h7 = (h + 0x5be0cd19) | 0
    a = h0
    b = h1
    c = h2
    dd = h3
    e = h4
    f = h5
    g = h6
    h = h7
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + kw[t]) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
      h = g
      g = f
      f = e
      e = (dd + t1) | 0
      dd = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    const q = d + 8 * i
    dst[q] = (a + h0) | 0
    dst[q + 1] = (b + h1) | 0
    dst[q + 2] = (c + h2) | 0
    dst[q + 3] = (dd + h3) | 0
    dst[q + 4] = (e + h4) | 0
    dst[q + 5] = (f + h5) | 0
    dst[q + 6] = (g + h6) | 0
    // trunc254: the digest's last byte is the low byte of word 7; clear its top two bits.
    dst[q + 7] = (h + h7) & 0xffffff3f
  }
}

/** Reads `count` big-endian words from `bytes` at `b` into `words` at `w`. */
export function bytesToWords(bytes: Uint8Array, b: number, words: Int32Array, w: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const o = b + 4 * i
    words[w + i] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]
  }
}

/** Writes `count` words from `words` at `w` to `bytes` at `b`, big-endian. */
export function wordsToBytes(words: Int32Array, w: number, bytes: Uint8Array, b: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const x = words[w + i]
    const o = b + 4 * i
    bytes[o] = x >>> 24
    bytes[o + 1] = x >>> 16
    bytes[o + 2] = x >>> 8
    bytes[o + 3] = x
  }
}
