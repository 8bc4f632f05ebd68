/**
 * Unsigned LEB128 varints as multiformats uses them, decoded in place without allocating. Non-minimal
 * encodings, more than 9 bytes and values above 2^53 - 1 are errors (go-varint rejects the first two).
 */
import { CarBadVarintError } from './errors.ts'

/** Byte length of the varint the last successful `decodeVarint` call read. */
export let varintLength = 0

/**
 * The varint at `bytes[pos]`, reading no further than `end`; -1 when it runs past `end` (more input
 * needed). Sets `varintLength`.
 */
export function decodeVarint(bytes: Uint8Array, pos: number, end: number): number {
  if (pos >= end) return -1
  const b0 = bytes[pos]
  if (b0 < 0x80) {
    varintLength = 1
    return b0
  }
  let value = b0 & 0x7f
  let scale = 128
  for (let i = pos + 1; i < end; i++) {
    const b = bytes[i]
    value += (b & 0x7f) * scale
    if (b < 0x80) {
      if (b === 0) throw new CarBadVarintError('varint is not minimally encoded')
      if (value > Number.MAX_SAFE_INTEGER) throw new CarBadVarintError('varint exceeds 2^53 - 1')
      varintLength = i - pos + 1
      return value
    }
    if (i - pos >= 8) throw new CarBadVarintError('varint longer than 9 bytes')
    scale *= 128
  }
  return -1
}

/** Bytes needed to encode `value`. */
export function varintSize(value: number): number {
  let n = 1
  while (value >= 128) {
    value = Math.floor(value / 128)
    n++
  }
  return n
}

/** Writes `value` at `target[pos]`; returns the position after it. */
export function encodeVarintInto(value: number, target: Uint8Array, pos: number): number {
  while (value >= 128) {
    target[pos++] = (value & 0x7f) | 0x80
    value = Math.floor(value / 128)
  }
  target[pos++] = value
  return pos
}

/** `value` as a new varint byte array. */
export function encodeVarint(value: number): Uint8Array {
  const out = new Uint8Array(varintSize(value))
  encodeVarintInto(value, out, 0)
  return out
}
