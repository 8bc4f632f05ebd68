import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  MAX_PAYLOAD_SIZE,
  MAX_PIECE_SIZE,
  paddedSizeForPayload,
  toPadded,
  toPaddedPieceSize,
  toUnpadded,
  toUnpaddedPieceSize,
  treeHeight,
  nextPowerOfTwo,
  log2,
} from '../../../src/proofs/index.ts'
import { codeOf } from '../helpers.ts'

describe('piece sizes', () => {
  it('accepts powers of two from 128 bytes to 64 GiB as padded sizes', () => {
    for (let k = 7; k <= 36; k++) expect(toPaddedPieceSize(2 ** k)).toBe(2 ** k)
  })

  it('rejects padded sizes that are not powers of two, too small or past 64 GiB, with distinct codes', () => {
    expect(codeOf(() => toPaddedPieceSize(1000))).toBe('E_PIECE_SIZE_NOT_POWER_OF_TWO')
    expect(codeOf(() => toPaddedPieceSize(3 * 2 ** 30))).toBe('E_PIECE_SIZE_NOT_POWER_OF_TWO')
    expect(codeOf(() => toPaddedPieceSize(64))).toBe('E_PIECE_SIZE_TOO_SMALL')
    expect(codeOf(() => toPaddedPieceSize(0))).toBe('E_PIECE_SIZE_TOO_SMALL')
    expect(codeOf(() => toPaddedPieceSize(2 ** 37))).toBe('E_PIECE_SIZE_TOO_LARGE')
    expect(codeOf(() => toPaddedPieceSize(-128))).toBe('E_SIZE_INVALID')
    expect(codeOf(() => toPaddedPieceSize(128.5))).toBe('E_SIZE_INVALID')
    expect(codeOf(() => toPaddedPieceSize(Number.NaN))).toBe('E_SIZE_INVALID')
  })

  it('accepts 127 × 2^k as unpadded sizes and converts both ways', () => {
    for (let k = 0; k <= 29; k++) {
      const u = toUnpaddedPieceSize(127 * 2 ** k)
      expect(toPadded(u)).toBe(128 * 2 ** k)
      expect(toUnpadded(toPadded(u))).toBe(u)
    }
    expect(toUnpadded(toPaddedPieceSize(2048))).toBe(2032)
  })

  it('rejects unpadded sizes that are not 127 × 2^k', () => {
    expect(codeOf(() => toUnpaddedPieceSize(128))).toBe('E_UNPADDED_PIECE_SIZE_INVALID')
    expect(codeOf(() => toUnpaddedPieceSize(127 * 3))).toBe('E_UNPADDED_PIECE_SIZE_INVALID')
    expect(codeOf(() => toUnpaddedPieceSize(100))).toBe('E_PIECE_SIZE_TOO_SMALL')
    expect(codeOf(() => toUnpaddedPieceSize(127 * 2 ** 30))).toBe('E_PIECE_SIZE_TOO_LARGE')
  })

  it('pads payload sizes to the next power of two of whole quads (254 → 256, 255 → 512)', () => {
    const cases: Array<[number, number]> = [[0, 128], [1, 128], [65, 128], [127, 128], [128, 256], [254, 256], [255, 512], [508, 512], [509, 1024], [1016, 1024], [1017, 2048]]
    for (const [payload, padded] of cases) expect(paddedSizeForPayload(payload)).toBe(padded)
    expect(paddedSizeForPayload(MAX_PAYLOAD_SIZE)).toBe(MAX_PIECE_SIZE)
    expect(codeOf(() => paddedSizeForPayload(MAX_PAYLOAD_SIZE + 1))).toBe('E_PAYLOAD_TOO_LARGE')
    expect(treeHeight(toPaddedPieceSize(2 ** 35))).toBe(30)
  })

  it('computes exact powers of two and logarithms for every safe size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 50 }), (n) => {
        const p = nextPowerOfTwo(n)
        expect(p >= n && p / 2 < n).toBe(true)
        const l = log2(n)
        expect(2 ** l <= n && 2 ** (l + 1) > n).toBe(true)
      }),
    )
  })
})
