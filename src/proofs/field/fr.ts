/**
 * The BLS12-381 scalar field Fr, in which a replica node is the data node plus the key. Nodes are 32 bytes,
 * little-endian. Single-element arithmetic uses bigint; the per-node loops in ./nodes.ts work on 32-bit
 * limbs so that sealing a sector allocates nothing per node.
 * https://github.com/filecoin-project/rust-fil-proofs/blob/master/storage-proofs-porep/src/encode.rs
 */

/** r = 0x73eda753…00000001, the order of the BLS12-381 scalar field. */
export const FR_MODULUS = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n

/** r as eight little-endian 32-bit limbs. */
export const FR_LIMBS = Uint32Array.of(
  0x00000001, 0xffffffff, 0xfffe5bfe, 0x53bda402, 0x09a1d805, 0x3339d808, 0x299d7d48, 0x73eda753,
)

/** Reads 32 little-endian bytes at `offset` as an integer (not reduced). */
export function frFromBytes(bytes: Uint8Array, offset = 0): bigint {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, 32)
  return (
    v.getBigUint64(0, true) |
    (v.getBigUint64(8, true) << 64n) |
    (v.getBigUint64(16, true) << 128n) |
    (v.getBigUint64(24, true) << 192n)
  )
}

/** Writes `x` (0 ≤ x < 2^256) as 32 little-endian bytes into `out` at `offset`; returns `out`. */
export function frToBytes(x: bigint, out: Uint8Array = new Uint8Array(32), offset = 0): Uint8Array {
  const v = new DataView(out.buffer, out.byteOffset + offset, 32)
  const m = (1n << 64n) - 1n
  v.setBigUint64(0, x & m, true)
  v.setBigUint64(8, (x >> 64n) & m, true)
  v.setBigUint64(16, (x >> 128n) & m, true)
  v.setBigUint64(24, (x >> 192n) & m, true)
  return out
}

/** Reduces any non-negative integer mod r. */
export function frReduce(x: bigint): bigint {
  const y = x % FR_MODULUS
  return y < 0n ? y + FR_MODULUS : y
}

/** (a + b) mod r. */
export function frAdd(a: bigint, b: bigint): bigint {
  return frReduce(a + b)
}

/** (a − b) mod r. */
export function frSub(a: bigint, b: bigint): bigint {
  return frReduce(a - b)
}

/** (a · b) mod r. */
export function frMul(a: bigint, b: bigint): bigint {
  return frReduce(a * b)
}

/** a^e mod r by square-and-multiply. */
export function frPow(a: bigint, e: bigint): bigint {
  let base = frReduce(a)
  let result = 1n
  for (let x = e; x > 0n; x >>= 1n) {
    if (x & 1n) result = (result * base) % FR_MODULUS
    base = (base * base) % FR_MODULUS
  }
  return result
}

/** a^(−1) mod r (Fermat); a must be non-zero mod r. */
export function frInv(a: bigint): bigint {
  if (frReduce(a) === 0n) throw new RangeError('zero has no inverse in Fr')
  return frPow(a, FR_MODULUS - 2n)
}

/** True when the 32 bytes at `offset` encode an integer below r. */
export function isCanonical(bytes: Uint8Array, offset = 0): boolean {
  return frFromBytes(bytes, offset) < FR_MODULUS
}
