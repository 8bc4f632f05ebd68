/**
 * Piece sizes. A piece's padded size is a power of two of at least 128 bytes (one fr32 quad); its unpadded
 * size is the payload capacity, 127/128 of that. The two are distinct types so they cannot be swapped.
 * https://spec.filecoin.io/systems/filecoin_files/piece/
 */
import {
  PayloadTooLargeError,
  PieceSizeNotPowerOfTwoError,
  PieceSizeTooLargeError,
  PieceSizeTooSmallError,
  SizeInvalidError,
  UnpaddedPieceSizeInvalidError,
} from './errors.ts'

/** A padded piece size in bytes: a power of two, 128 B … 64 GiB. */
export type PaddedPieceSize = number & { readonly __brand: 'PaddedPieceSize' }
/** An unpadded piece size in bytes: 127 × 2^k, the payload a padded piece of 128 × 2^k holds. */
export type UnpaddedPieceSize = number & { readonly __brand: 'UnpaddedPieceSize' }

/** Bytes of a tree leaf (one field element). */
export const LEAF_SIZE = 32
/** Payload bytes in one fr32 quad (4 × 254 bits). */
export const QUAD_PAYLOAD_SIZE = 127
/** Bytes of one fr32-padded quad (4 leaves). */
export const QUAD_SIZE = 128
/** The smallest padded piece. */
export const MIN_PIECE_SIZE = 128 as PaddedPieceSize
/** The largest padded piece: 64 GiB, the largest sector (go-fil-commp-hashhash MaxLayers = 31). */
export const MAX_PIECE_SIZE = 2 ** 36 as PaddedPieceSize
/** Tree height (levels above the leaves) of the largest piece. */
export const MAX_TREE_HEIGHT = 31
/** The largest payload: what fits a 64 GiB piece after fr32 padding. */
export const MAX_PAYLOAD_SIZE = (MAX_PIECE_SIZE / 128) * 127
/** The smallest payload a v1 piece CID commits to (2 leaves + 1 byte; go-fil-commp-hashhash MinPiecePayload). */
export const MIN_PAYLOAD_SIZE = 65

function checkInteger(what: string, n: number): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new SizeInvalidError(what, n)
}

/** Checks `n` and brands it as a padded piece size. */
export function toPaddedPieceSize(n: number): PaddedPieceSize {
  checkInteger('padded piece size', n)
  if (n < MIN_PIECE_SIZE) throw new PieceSizeTooSmallError(n, MIN_PIECE_SIZE)
  if (n > MAX_PIECE_SIZE) throw new PieceSizeTooLargeError(n, MAX_PIECE_SIZE)
  if (!isPowerOfTwo(n)) throw new PieceSizeNotPowerOfTwoError(n)
  return n as PaddedPieceSize
}

/** Checks `n` and brands it as an unpadded piece size. */
export function toUnpaddedPieceSize(n: number): UnpaddedPieceSize {
  checkInteger('unpadded piece size', n)
  if (n < QUAD_PAYLOAD_SIZE) throw new PieceSizeTooSmallError(n, QUAD_PAYLOAD_SIZE)
  if (n % QUAD_PAYLOAD_SIZE !== 0 || !isPowerOfTwo(n / QUAD_PAYLOAD_SIZE)) throw new UnpaddedPieceSizeInvalidError(n)
  if (n > MAX_PAYLOAD_SIZE) throw new PieceSizeTooLargeError(n + n / 127, MAX_PIECE_SIZE)
  return n as UnpaddedPieceSize
}

/** The payload capacity of a padded piece: `padded − padded/128`. */
export function toUnpadded(size: PaddedPieceSize): UnpaddedPieceSize {
  return (size - size / 128) as UnpaddedPieceSize
}

/** The padded size of an unpadded piece: `unpadded + unpadded/127`. */
export function toPadded(size: UnpaddedPieceSize): PaddedPieceSize {
  return (size + size / 127) as PaddedPieceSize
}

/**
 * The padded size of the piece holding `payloadSize` bytes: the next power of two ≥ 128 × ⌈size/127⌉
 * (so 254 bytes → 256, 255 → 512; 0 → 128).
 */
export function paddedSizeForPayload(payloadSize: number): PaddedPieceSize {
  checkInteger('payload size', payloadSize)
  if (payloadSize > MAX_PAYLOAD_SIZE) throw new PayloadTooLargeError(payloadSize, MAX_PAYLOAD_SIZE)
  const quads = Math.max(1, Math.ceil(payloadSize / QUAD_PAYLOAD_SIZE))
  return nextPowerOfTwo(quads * QUAD_SIZE) as PaddedPieceSize
}

/** Tree height (levels above the 32-byte leaves) of a padded piece: log2(size / 32). */
export function treeHeight(size: PaddedPieceSize): number {
  return log2(size) - 5
}

/** The padded piece size of a tree of `height` levels: 32 × 2^height. */
export function sizeFromHeight(height: number): PaddedPieceSize {
  return LEAF_SIZE * 2 ** height as PaddedPieceSize
}

/** True when `n` is a positive power of two (exact for every safe integer). */
export function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isSafeInteger(n) && 2 ** log2(n) === n
}

/** The smallest power of two ≥ `n` (n ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  const p = 2 ** Math.ceil(Math.log2(n))
  // Math.log2 can be off by one ulp near powers of two; correct it exactly.
  return p / 2 >= n ? p / 2 : p < n ? p * 2 : p
}

/** ⌊log2(n)⌋ for a positive safe integer. */
export function log2(n: number): number {
  let k = Math.floor(Math.log2(n))
  if (2 ** k > n) k--
  else if (2 ** (k + 1) <= n) k++
  return k
}
