/**
 * MurmurHash3 x64 128-bit, and the 64-bit HAMT hash UnixFS derives from it: go-unixfs / boxo hash a
 * directory entry name with `murmur3.New64()` (spaolacci/murmur3), i.e. the first half `h1` of the 128-bit
 * hash, written big-endian. The HAMT reads that value's bits most significant first.
 * https://github.com/ipfs/specs/blob/main/UNIXFS.md (HAMTShard: hashType 0x22 murmur3-x64-64)
 */

const M64 = (1n << 64n) - 1n
const C1 = 0x87c37b91114253d5n
const C2 = 0x4cf5ad432745937fn

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M64

function fmix(k: bigint): bigint {
  k ^= k >> 33n
  k = (k * 0xff51afd7ed558ccdn) & M64
  k ^= k >> 33n
  k = (k * 0xc4ceb9fe1a85ec53n) & M64
  k ^= k >> 33n
  return k
}

function mixK1(k1: bigint): bigint {
  return (rotl((k1 * C1) & M64, 31n) * C2) & M64
}

function mixK2(k2: bigint): bigint {
  return (rotl((k2 * C2) & M64, 33n) * C1) & M64
}

/** MurmurHash3_x64_128 of `data` with `seed`: `[h1, h2]` as unsigned 64-bit integers. */
export function murmur3X64128(data: Uint8Array, seed = 0): [bigint, bigint] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const len = data.length
  const blocks = len >>> 4
  let h1 = BigInt(seed >>> 0)
  let h2 = h1
  for (let i = 0; i < blocks; i++) {
    const k1 = view.getBigUint64(i * 16, true)
    const k2 = view.getBigUint64(i * 16 + 8, true)
    h1 ^= mixK1(k1)
    h1 = (((rotl(h1, 27n) + h2) & M64) * 5n + 0x52dce729n) & M64
    h2 ^= mixK2(k2)
    h2 = (((rotl(h2, 31n) + h1) & M64) * 5n + 0x38495ab5n) & M64
  }
  const tail = blocks * 16
  const rest = len & 15
  let k1 = 0n
  let k2 = 0n
  for (let i = rest - 1; i >= 8; i--) k2 |= BigInt(data[tail + i]) << BigInt(8 * (i - 8))
  if (rest > 8) h2 ^= mixK2(k2)
  for (let i = Math.min(rest, 8) - 1; i >= 0; i--) k1 |= BigInt(data[tail + i]) << BigInt(8 * i)
  if (rest > 0) h1 ^= mixK1(k1)
  h1 ^= BigInt(len)
  h2 ^= BigInt(len)
  h1 = (h1 + h2) & M64
  h2 = (h2 + h1) & M64
  h1 = fmix(h1)
  h2 = fmix(h2)
  h1 = (h1 + h2) & M64
  h2 = (h2 + h1) & M64
  return [h1, h2]
}

/** The 8-byte HAMT hash of a directory entry name: murmur3-x64-64 (h1 of x64-128, seed 0), big-endian. */
export function hamtHash(name: Uint8Array): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, murmur3X64128(name)[0], false)
  return out
}

/** Reads `count` bits (≤ 32) of `hash` starting at bit `offset`, most significant bit first. */
export function hashBits(hash: Uint8Array, offset: number, count: number): number {
  let out = 0
  for (let i = 0; i < count; i++) {
    const bit = offset + i
    out = out * 2 + ((hash[bit >>> 3] >>> (7 - (bit & 7))) & 1)
  }
  return out
}
