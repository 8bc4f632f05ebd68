/**
 * Node-wise field arithmetic over whole buffers of 32-byte little-endian nodes, the inner loops of
 * encoding and decoding a replica: replica = data + key, data = replica − key (mod r). Both work on 32-bit
 * limbs with carries, without allocating. They are exact for canonical inputs (below r), which is all the
 * sealing code produces; for any other 256-bit input the result is the one defined below, and the native
 * library reproduces it bit for bit.
 */
import { FR_LIMBS } from './fr.ts'

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** 1 when the eight limbs at `o` of `v` are ≥ r. */
function geModulus(v: DataView, o: number): boolean {
  for (let i = 7; i >= 0; i--) {
    const x = v.getUint32(o + 4 * i, true)
    if (x !== FR_LIMBS[i]) return x > FR_LIMBS[i]
  }
  return true
}

function subModulus(v: DataView, o: number): void {
  let borrow = 0
  for (let i = 0; i < 8; i++) {
    const d = v.getUint32(o + 4 * i, true) - FR_LIMBS[i] - borrow
    borrow = d < 0 ? 1 : 0
    v.setUint32(o + 4 * i, d >>> 0, true)
  }
}

/**
 * out[i] = a[i] + b[i] mod r for every node: the 256-bit sum, minus r once when it carries out of 256 bits
 * or is ≥ r. `out` may alias `a` or `b`.
 */
export function addNodes(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const va = view(a)
  const vb = view(b)
  const vo = view(out)
  for (let o = 0; o + 32 <= out.length; o += 32) {
    let carry = 0
    for (let i = 0; i < 32; i += 4) {
      const s = va.getUint32(o + i, true) + vb.getUint32(o + i, true) + carry
      carry = s > 0xffffffff ? 1 : 0
      vo.setUint32(o + i, s >>> 0, true)
    }
    if (carry || geModulus(vo, o)) subModulus(vo, o)
  }
}

/**
 * out[i] = a[i] − b[i] mod r for every node: the 256-bit difference, plus r (mod 2^256) when it borrows.
 * `out` may alias `a` or `b`.
 */
export function subNodes(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  const va = view(a)
  const vb = view(b)
  const vo = view(out)
  for (let o = 0; o + 32 <= out.length; o += 32) {
    let borrow = 0
    for (let i = 0; i < 32; i += 4) {
      const d = va.getUint32(o + i, true) - vb.getUint32(o + i, true) - borrow
      borrow = d < 0 ? 1 : 0
      vo.setUint32(o + i, d >>> 0, true)
    }
    if (borrow) {
      let carry = 0
      for (let i = 0; i < 8; i++) {
        const s = vo.getUint32(o + 4 * i, true) + FR_LIMBS[i] + carry
        carry = s > 0xffffffff ? 1 : 0
        vo.setUint32(o + 4 * i, s >>> 0, true)
      }
    }
  }
}
