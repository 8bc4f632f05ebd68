/**
 * BLAKE2b (RFC 7693) in plain TypeScript, unkeyed, for runtimes whose node:crypto lacks blake2b-256
 * (Node's OpenSSL only offers the 64-byte output, and the output length is part of the parameter block,
 * so a truncated blake2b-512 is a different hash). 64-bit words are held as (lo, hi) 32-bit pairs.
 * https://www.rfc-editor.org/rfc/rfc7693
 */

const IV = Uint32Array.from([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
])

// Message word schedule, one row per round (rounds 10 and 11 repeat rows 0 and 1).
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
]
// The same schedule pre-multiplied by 2: indexes into the (lo, hi) message array.
const SCHEDULE = Uint8Array.from(Array.from({ length: 12 }, (_, r) => SIGMA[r % 10].map((i) => i * 2)).flat())

const v = new Uint32Array(32)
const m = new Uint32Array(32)

// v[a] += v[b] + m[x], over 64-bit (lo, hi) pairs.
function add3(a: number, b: number, x: number): void {
  const lo = v[a] + v[b] + m[x]
  const hi = v[a + 1] + v[b + 1] + m[x + 1] + ((lo / 0x100000000) | 0)
  v[a] = lo
  v[a + 1] = hi
}

function add2(a: number, b: number): void {
  const lo = v[a] + v[b]
  const hi = v[a + 1] + v[b + 1] + (lo >= 0x100000000 ? 1 : 0)
  v[a] = lo
  v[a + 1] = hi
}

// v[d] = rotr64(v[d] ^ v[a], n) for the four rotation amounts BLAKE2b uses.
function xorRot(d: number, a: number, n: 32 | 24 | 16 | 63): void {
  const lo = v[d] ^ v[a]
  const hi = v[d + 1] ^ v[a + 1]
  if (n === 32) {
    v[d] = hi
    v[d + 1] = lo
  } else if (n === 63) {
    v[d] = (lo << 1) | (hi >>> 31)
    v[d + 1] = (hi << 1) | (lo >>> 31)
  } else {
    v[d] = (lo >>> n) | (hi << (32 - n))
    v[d + 1] = (hi >>> n) | (lo << (32 - n))
  }
}

function mix(a: number, b: number, c: number, d: number, x: number, y: number): void {
  add3(a, b, x)
  xorRot(d, a, 32)
  add2(c, d)
  xorRot(b, c, 24)
  add3(a, b, y)
  xorRot(d, a, 16)
  add2(c, d)
  xorRot(b, c, 63)
}

function compress(h: Uint32Array, block: Uint8Array, at: number, counter: number, last: boolean): void {
  for (let i = 0; i < 32; i++) {
    const p = at + i * 4
    m[i] = block[p] | (block[p + 1] << 8) | (block[p + 2] << 16) | (block[p + 3] << 24)
  }
  v.set(h, 0)
  v.set(IV, 16)
  v[24] ^= counter >>> 0
  v[25] ^= Math.floor(counter / 0x100000000)
  if (last) {
    v[28] = ~v[28]
    v[29] = ~v[29]
  }
  for (let r = 0; r < 12; r++) {
    const s = r * 16
    mix(0, 8, 16, 24, SCHEDULE[s], SCHEDULE[s + 1])
    mix(2, 10, 18, 26, SCHEDULE[s + 2], SCHEDULE[s + 3])
    mix(4, 12, 20, 28, SCHEDULE[s + 4], SCHEDULE[s + 5])
    mix(6, 14, 22, 30, SCHEDULE[s + 6], SCHEDULE[s + 7])
    mix(0, 10, 20, 30, SCHEDULE[s + 8], SCHEDULE[s + 9])
    mix(2, 12, 22, 24, SCHEDULE[s + 10], SCHEDULE[s + 11])
    mix(4, 14, 16, 26, SCHEDULE[s + 12], SCHEDULE[s + 13])
    mix(6, 8, 18, 28, SCHEDULE[s + 14], SCHEDULE[s + 15])
  }
  for (let i = 0; i < 16; i++) h[i] ^= v[i] ^ v[i + 16]
}

/** BLAKE2b of `data` with an `outLength`-byte digest (1..64), unkeyed. */
export function blake2b(data: Uint8Array, outLength = 64): Uint8Array {
  if (!Number.isInteger(outLength) || outLength < 1 || outLength > 64) throw new RangeError('BLAKE2b output length must be 1..64')
  const h = IV.slice()
  // Parameter block word 0: digest length, key length 0, fanout 1, depth 1.
  h[0] ^= 0x01010000 ^ outLength
  let pos = 0
  while (data.length - pos > 128) {
    compress(h, data, pos, pos + 128, false)
    pos += 128
  }
  const tail = new Uint8Array(128)
  tail.set(data.subarray(pos))
  compress(h, tail, 0, data.length, true)
  const out = new Uint8Array(outLength)
  for (let i = 0; i < outLength; i++) out[i] = h[i >> 2] >>> (8 * (i & 3))
  return out
}
