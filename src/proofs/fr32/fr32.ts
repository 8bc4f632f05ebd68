/**
 * fr32 padding: every 127 payload bytes (4 × 254 bits) become four 32-byte field elements whose top two bits
 * are zero. The payload bit stream is read least-significant bit first and cut into 254-bit runs, each stored
 * little-endian in 32 bytes. https://spec.filecoin.io/systems/filecoin_files/piece/#section-systems.filecoin_files.piece.data-representation
 */
import { Fr32InvalidError, Fr32LengthError, Fr32OutputTooSmallError } from './errors.ts'

/** Payload bytes per quad. */
export const FR32_IN = 127
/** Padded bytes per quad. */
export const FR32_OUT = 128

/** Pads one quad: 127 bytes of `src` at `s` → 128 bytes of `dst` at `d`. */
export function padQuad(src: Uint8Array, s: number, dst: Uint8Array, d: number): void {
  // Element 0: bits 0..253, byte-aligned.
  for (let i = 0; i < 31; i++) dst[d + i] = src[s + i]
  dst[d + 31] = src[s + 31] & 0x3f
  // Element 1: bits 254..507, shifted by 6.
  for (let i = 32; i < 63; i++) dst[d + i] = ((src[s + i] << 2) | (src[s + i - 1] >>> 6)) & 0xff
  dst[d + 63] = ((src[s + 63] << 2) | (src[s + 62] >>> 6)) & 0x3f
  // Element 2: bits 508..761, shifted by 4.
  for (let i = 64; i < 95; i++) dst[d + i] = ((src[s + i] << 4) | (src[s + i - 1] >>> 4)) & 0xff
  dst[d + 95] = ((src[s + 95] << 4) | (src[s + 94] >>> 4)) & 0x3f
  // Element 3: bits 762..1015, shifted by 2; its last byte holds the top six bits of the quad.
  for (let i = 96; i < 127; i++) dst[d + i] = ((src[s + i] << 6) | (src[s + i - 1] >>> 2)) & 0xff
  dst[d + 127] = src[s + 126] >>> 2
}

/** Unpads one quad: 128 bytes of `src` at `s` → 127 bytes of `dst` at `d`. */
export function unpadQuad(src: Uint8Array, s: number, dst: Uint8Array, d: number): void {
  for (let i = 0; i < 31; i++) dst[d + i] = src[s + i]
  dst[d + 31] = (src[s + 31] & 0x3f) | ((src[s + 32] << 6) & 0xff)
  for (let i = 32; i < 63; i++) dst[d + i] = (src[s + i] >>> 2) | ((src[s + i + 1] << 6) & 0xff)
  dst[d + 63] = ((src[s + 63] & 0x3f) >>> 2) | ((src[s + 64] << 4) & 0xff)
  for (let i = 64; i < 95; i++) dst[d + i] = (src[s + i] >>> 4) | ((src[s + i + 1] << 4) & 0xff)
  dst[d + 95] = ((src[s + 95] & 0x3f) >>> 4) | ((src[s + 96] << 2) & 0xff)
  for (let i = 96; i < 126; i++) dst[d + i] = (src[s + i] >>> 6) | ((src[s + i + 1] << 2) & 0xff)
  dst[d + 126] = (src[s + 126] >>> 6) | ((src[s + 127] << 2) & 0xff)
}

/** fr32-pads `input` (a multiple of 127 bytes) into `output` (or a new array); returns the padded bytes. */
export function fr32Pad(input: Uint8Array, output?: Uint8Array): Uint8Array {
  if (input.length % FR32_IN !== 0) throw new Fr32LengthError('pad', input.length)
  const quads = input.length / FR32_IN
  const out = output ?? new Uint8Array(quads * FR32_OUT)
  if (out.length < quads * FR32_OUT) throw new Fr32OutputTooSmallError(quads * FR32_OUT, out.length)
  for (let q = 0; q < quads; q++) padQuad(input, q * FR32_IN, out, q * FR32_OUT)
  return out.length === quads * FR32_OUT ? out : out.subarray(0, quads * FR32_OUT)
}

/**
 * Reverses fr32 padding of `input` (a multiple of 128 bytes) into `output` (or a new array). Throws
 * `E_FR32_INVALID` when an element has its top two bits set, since such bytes were never fr32-padded.
 */
export function fr32Unpad(input: Uint8Array, output?: Uint8Array): Uint8Array {
  if (input.length % FR32_OUT !== 0) throw new Fr32LengthError('unpad', input.length)
  const quads = input.length / FR32_OUT
  const out = output ?? new Uint8Array(quads * FR32_IN)
  if (out.length < quads * FR32_IN) throw new Fr32OutputTooSmallError(quads * FR32_IN, out.length)
  checkFr32(input)
  for (let q = 0; q < quads; q++) unpadQuad(input, q * FR32_OUT, out, q * FR32_IN)
  return out.length === quads * FR32_IN ? out : out.subarray(0, quads * FR32_IN)
}

/** Throws `E_FR32_INVALID` when any 32-byte element of `padded` has a non-zero top two bits. */
export function checkFr32(padded: Uint8Array): void {
  for (let i = 31; i < padded.length; i += 32) if (padded[i] & 0xc0) throw new Fr32InvalidError(i - 31)
}
