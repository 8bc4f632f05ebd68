/**
 * Zero commitments: the root of a tree over 32 × 2^level zero bytes. Zero payload fr32-pads to zero bytes,
 * so a piece is zero-padded to a larger size by hashing it with these, never with real zeros.
 * Z[0] = 0^32, Z[i+1] = H(Z[i], Z[i]) (go-commp-utils zerocomm, data-segment zero-comm).
 */
import { hashNode } from '../hash/index.ts'
import { CommitmentInvalidError, PieceSizeTooSmallError } from './errors.ts'
import { type PaddedPieceSize, log2, toPaddedPieceSize } from './size.ts'

/** Levels in the table: enough for any tree whose size fits a 64-bit integer. */
export const ZERO_COMM_LEVELS = 64

const table: Uint8Array[] = [new Uint8Array(32)]

/** The root of 32 × 2^level zero bytes (level 0 is the zero leaf). The array is shared: do not mutate it. */
export function zeroCommitment(level: number): Uint8Array {
  if (!Number.isInteger(level) || level < 0 || level >= ZERO_COMM_LEVELS) {
    throw new RangeError(`zero commitment level must be an integer in 0..${ZERO_COMM_LEVELS - 1}, got ${level}`)
  }
  while (table.length <= level) {
    const prev = table[table.length - 1]
    table.push(hashNode(prev, prev))
  }
  return table[level]
}

/** The commitment of a piece of `size` padded zero bytes (Lotus `ZeroPieceCommitment`, sized padded). */
export function zeroPieceCommitment(size: PaddedPieceSize): Uint8Array {
  return zeroCommitment(log2(toPaddedPieceSize(size)) - 5)
}

/**
 * The commitment of the piece `root` (of padded size `from`) followed by zeros up to padded size `to`
 * (go-commp-utils `ZeroPadPieceCommitment`, go-fil-commp-hashhash `PadCommP`).
 */
export function padCommitment(root: Uint8Array, from: PaddedPieceSize, to: PaddedPieceSize): Uint8Array {
  if (root.length !== 32) throw new CommitmentInvalidError(root.length)
  const a = log2(toPaddedPieceSize(from))
  const b = log2(toPaddedPieceSize(to))
  if (b < a) throw new PieceSizeTooSmallError(to, from)
  let node = root
  for (let level = a - 5; level < b - 5; level++) node = hashNode(node, zeroCommitment(level))
  return node === root ? root.slice() : node
}
