/**
 * CommD, the unsealed sector CID: the root of the tree over the sector's fr32 bytes, made from the pieces'
 * commitments without touching their data. Pieces sit in order, each aligned to its own size; gaps and the
 * end of the sector are zero pieces. Aggregation is the stack of rust-fil-proofs `compute_comm_d`; the sector
 * layout is Lotus's `GenerateUnsealedCID`.
 */
import type { CID } from 'multiformats/cid'
import { hashNode } from '../hash/index.ts'
import { pieceCidV1, rootFromPieceCidV1 } from '../piece/cid.ts'
import { CommitmentInvalidError } from '../piece/errors.ts'
import { type PaddedPieceSize, log2, toPaddedPieceSize } from '../piece/size.ts'
import { padCommitment, zeroCommitment, zeroPieceCommitment } from '../piece/zero-comm.ts'
import { NoPiecesError, PiecesExceedSectorError, SectorSizeInvalidError, TooManyPiecesError } from './errors.ts'
import { requiredPadding } from './padding.ts'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

/** Sector sizes of the registered seal proofs (padded bytes). */
export const SECTOR_SIZES: readonly PaddedPieceSize[] = [2 * KiB, 8 * MiB, 512 * MiB, 32 * GiB, 64 * GiB].map((s) => s as PaddedPieceSize)

/** A piece as deals and sectors list it (Lotus `abi.PieceInfo`). */
export interface PieceRef {
  /** Padded piece size. */
  size: PaddedPieceSize
  /** v1 piece CID (or a CommD for nested aggregation). */
  pieceCid: CID | string
}

/** A commitment with its padded size. */
export interface SizedCommitment {
  root: Uint8Array
  size: PaddedPieceSize
}

/** One slot of a sector layout: a piece, or a zero piece inserted for alignment or to fill the sector. */
export interface SectorSlot {
  offset: number
  size: PaddedPieceSize
  root: Uint8Array
  /** Index in the caller's list, or null for zero pieces. */
  piece: number | null
}

/** Checks that `size` is a supported sector size. */
export function toSectorSize(size: number): PaddedPieceSize {
  if (!SECTOR_SIZES.includes(size as PaddedPieceSize)) throw new SectorSizeInvalidError(size)
  return size as PaddedPieceSize
}

/**
 * Folds commitments in order into one (rust-fil-proofs `compute_comm_d` / go-commp-utils
 * `PieceAggregateCommP`): zero pieces are pushed until each piece is aligned, and the end is zero-padded
 * to the next power of two. Returns the root and the aggregate's padded size.
 */
export function aggregateCommitments(pieces: readonly SizedCommitment[]): SizedCommitment {
  if (pieces.length === 0) throw new NoPiecesError()
  const stack: SizedCommitment[] = []
  const reduce = () => {
    while (stack.length >= 2 && stack[stack.length - 1].size === stack[stack.length - 2].size) {
      const right = stack.pop()!
      const left = stack.pop()!
      stack.push({ root: hashNode(left.root, right.root), size: (left.size * 2) as PaddedPieceSize })
    }
  }
  for (const [i, piece] of pieces.entries()) {
    if (piece.root.length !== 32) throw new CommitmentInvalidError(piece.root.length)
    toPaddedPieceSize(piece.size)
    if (i > 0) {
      while (stack[stack.length - 1].size < piece.size) {
        stack.push(zeroSized(stack[stack.length - 1].size))
        reduce()
      }
    }
    stack.push({ root: piece.root, size: piece.size })
    reduce()
  }
  while (stack.length > 1) {
    stack.push(zeroSized(stack[stack.length - 1].size))
    reduce()
  }
  return { root: stack[0].root, size: stack[0].size }
}

/**
 * Lays pieces out in a sector as Lotus does: zero padding pieces before each piece that would be
 * misaligned, then filler pieces up to the sector's end. Throws when they do not fit.
 */
export function layoutSector(sectorSize: number, pieces: readonly PieceRef[]): SectorSlot[] {
  const sector = toSectorSize(sectorSize)
  // One piece per 127 unpadded bytes at most (rust-fil-proofs MINIMUM_PIECE_SIZE).
  const maxPieces = sector / 128
  if (pieces.length > maxPieces) throw new TooManyPiecesError(pieces.length, maxPieces)
  const slots: SectorSlot[] = []
  let offset = 0
  const zeros = (sizes: PaddedPieceSize[]) => {
    for (const size of sizes) {
      slots.push({ offset, size, root: zeroPieceCommitment(size), piece: null })
      offset += size
    }
  }
  for (const [i, piece] of pieces.entries()) {
    const size = toPaddedPieceSize(piece.size)
    zeros(requiredPadding(offset, size))
    slots.push({ offset, size, root: rootFromPieceCidV1(piece.pieceCid), piece: i })
    offset += size
    if (offset > sector) throw new PiecesExceedSectorError(offset, sector)
  }
  zeros(requiredPadding(offset, sector))
  return slots
}

/** The unsealed sector CID (CommD) of `pieces` in a sector of `sectorSize` (Lotus `GenerateUnsealedCID`). */
export function generateUnsealedCid(sectorSize: number, pieces: readonly PieceRef[]): CID {
  const sector = toSectorSize(sectorSize)
  if (pieces.length === 0) return pieceCidV1(zeroPieceCommitment(sector))
  const slots = layoutSector(sector, pieces)
  const { root, size } = aggregateCommitments(slots)
  return pieceCidV1(size === sector ? root : padCommitment(root, size, sector))
}

function zeroSized(size: PaddedPieceSize): SizedCommitment {
  return { root: zeroCommitment(log2(size) - 5), size }
}
