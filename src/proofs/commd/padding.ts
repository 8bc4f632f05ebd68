/**
 * Lotus's padding rules: zero pieces inserted before a deal piece so it starts at a multiple of its size
 * (`GetRequiredPadding`, lotus chain/proofs), and filler pieces that complete a sector (`FillersFromRem`,
 * lotus lib/filler). Both decompose a byte count into powers of two, smallest first.
 */
import { UnpaddedPieceSizeInvalidError } from '../piece/errors.ts'
import type { PaddedPieceSize, UnpaddedPieceSize } from '../piece/size.ts'
import { toPaddedPieceSize } from '../piece/size.ts'

/** Powers of two that sum to `n`, smallest first (n < 2^53). */
function powersOfTwo(n: number): number[] {
  const out: number[] = []
  for (let p = 1, rest = n; rest > 0; p *= 2) {
    if (rest % (2 * p) !== 0) {
      out.push(p)
      rest -= p
    }
  }
  return out
}

/**
 * The zero pieces to insert after `offset` padded bytes so a piece of `size` starts aligned: the binary
 * decomposition of (−offset mod size), smallest first.
 */
export function requiredPadding(offset: number, size: PaddedPieceSize): PaddedPieceSize[] {
  toPaddedPieceSize(size)
  const gap = (size - (offset % size)) % size
  return powersOfTwo(gap) as PaddedPieceSize[]
}

/** The filler pieces (unpadded sizes) that fill `remaining` unpadded bytes of a sector, smallest first. */
export function fillersFromRemainder(remaining: number): UnpaddedPieceSize[] {
  if (!Number.isSafeInteger(remaining) || remaining < 0 || remaining % 127 !== 0) throw new UnpaddedPieceSizeInvalidError(remaining)
  return powersOfTwo(remaining + remaining / 127).map((p) => ((p / 128) * 127) as UnpaddedPieceSize)
}
