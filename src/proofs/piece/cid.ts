/**
 * Piece CIDs. v1 (go-fil-commcid `DataCommitmentV1ToCID`): codec fil-commitment-unsealed 0xf101, multihash
 * sha2-256-trunc254-padded 0x1012, the 32-byte root; the size travels beside it. v2 (FRC-0069): codec raw,
 * multihash fr32-sha256-trunc254-padbintree 0x1011 whose digest is uvarint(padding) ‖ height ‖ root, so the
 * payload size is part of the CID. https://github.com/filecoin-project/FIPs/blob/master/FRCs/frc-0069.md
 */
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { varint } from 'multiformats'
import { CommitmentInvalidError, PayloadTooLargeError, PieceCidInvalidError, SizeInvalidError } from './errors.ts'
import { type PaddedPieceSize, sizeFromHeight } from './size.ts'

/** Multicodec fil-commitment-unsealed: the codec of v1 piece CIDs and of CommD. */
export const FIL_COMMITMENT_UNSEALED = 0xf101
/** Multihash sha2-256-trunc254-padded: the hash of v1 piece CIDs. */
export const SHA2_256_TRUNC254_PADDED = 0x1012
/** Multihash fr32-sha256-trunc254-padbintree: the hash of v2 piece CIDs (FRC-0069). */
export const FR32_SHA256_TRUNC254_PADBINTREE = 0x1011
/** Multicodec raw: the codec of v2 piece CIDs. */
export const RAW = 0x55

/** Tallest tree a v2 CID may describe here: its sizes stay exact in a JS number. */
const MAX_V2_HEIGHT = 40

/** What a v2 piece CID says: the root plus the tree height and zero padding, hence the payload size. */
export interface PieceCidV2Info {
  root: Uint8Array
  /** Levels above the 32-byte leaves: log2(pieceSize / 32). */
  height: number
  /** Zero bytes appended to the payload before fr32 padding. */
  padding: number
  payloadSize: number
  pieceSize: PaddedPieceSize
}

/** The v1 piece CID (`baga6ea4seaq…`) of a 32-byte root. */
export function pieceCidV1(root: Uint8Array): CID {
  if (root.length !== 32) throw new CommitmentInvalidError(root.length)
  return CID.createV1(FIL_COMMITMENT_UNSEALED, Digest.create(SHA2_256_TRUNC254_PADDED, root.slice()))
}

/** The v2 piece CID (`bafkzcib…`) of a root over `payloadSize` payload bytes. */
export function pieceCidV2(root: Uint8Array, payloadSize: number): CID {
  if (root.length !== 32) throw new CommitmentInvalidError(root.length)
  const { height, padding } = payloadTreeShape(payloadSize)
  const padLen = varint.encodingLength(padding)
  const digest = new Uint8Array(padLen + 1 + 32)
  varint.encodeTo(padding, digest, 0)
  digest[padLen] = height
  digest.set(root, padLen + 1)
  return CID.createV1(RAW, Digest.create(FR32_SHA256_TRUNC254_PADBINTREE, digest))
}

/** The root of a v1 piece CID; throws `E_PIECE_CID_INVALID` for any other CID. */
export function rootFromPieceCidV1(cid: CID | string): Uint8Array {
  const c = toCid(cid)
  if (c.version !== 1) throw new PieceCidInvalidError(`CID version ${c.version}`)
  if (c.code !== FIL_COMMITMENT_UNSEALED) throw new PieceCidInvalidError(`codec 0x${c.code.toString(16)} is not fil-commitment-unsealed`)
  if (c.multihash.code !== SHA2_256_TRUNC254_PADDED) throw new PieceCidInvalidError(`multihash 0x${c.multihash.code.toString(16)} is not sha2-256-trunc254-padded`)
  if (c.multihash.digest.length !== 32) throw new PieceCidInvalidError(`digest of ${c.multihash.digest.length} bytes`)
  return c.multihash.digest.slice()
}

/** Decodes a v2 piece CID; throws `E_PIECE_CID_INVALID` for any other CID or a non-canonical digest. */
export function decodePieceCidV2(cid: CID | string): PieceCidV2Info {
  const c = toCid(cid)
  if (c.version !== 1) throw new PieceCidInvalidError(`CID version ${c.version}`)
  if (c.code !== RAW) throw new PieceCidInvalidError(`codec 0x${c.code.toString(16)} is not raw`)
  if (c.multihash.code !== FR32_SHA256_TRUNC254_PADBINTREE) {
    throw new PieceCidInvalidError(`multihash 0x${c.multihash.code.toString(16)} is not fr32-sha256-trunc254-padbintree`)
  }
  const d = c.multihash.digest
  let padding: number
  let padLen: number
  try {
    ;[padding, padLen] = varint.decode(d)
  } catch (err) {
    throw new PieceCidInvalidError('bad padding varint', { cause: err })
  }
  if (d.length !== padLen + 33) throw new PieceCidInvalidError(`digest of ${d.length} bytes, expected ${padLen + 33}`)
  const height = d[padLen]
  if (height < 2 || height > MAX_V2_HEIGHT) throw new PieceCidInvalidError(`tree height ${height} out of range 2..${MAX_V2_HEIGHT}`)
  const pieceSize = sizeFromHeight(height)
  const capacity = (pieceSize / 128) * 127
  if (padding > capacity) throw new PieceCidInvalidError(`padding ${padding} exceeds the capacity ${capacity} of height ${height}`)
  const payloadSize = capacity - padding
  if (payloadTreeShape(payloadSize).height !== height) {
    throw new PieceCidInvalidError(`padding ${padding} is not canonical: a ${payloadSize}-byte payload needs a smaller tree than height ${height}`)
  }
  return { root: d.slice(padLen + 1), height, padding, payloadSize, pieceSize }
}

/** v1 → v2: needs the payload size, which v1 does not carry. */
export function pieceCidV1ToV2(cid: CID | string, payloadSize: number): CID {
  return pieceCidV2(rootFromPieceCidV1(cid), payloadSize)
}

/** v2 → v1 plus the payload and padded sizes the v2 CID carried. */
export function pieceCidV2ToV1(cid: CID | string): { pieceCid: CID; payloadSize: number; pieceSize: PaddedPieceSize } {
  const info = decodePieceCidV2(cid)
  return { pieceCid: pieceCidV1(info.root), payloadSize: info.payloadSize, pieceSize: info.pieceSize }
}

/**
 * The v1 form of a piece CID: itself when v1, converted when v2 (FRC-0069); undefined for a CID that is
 * neither (another codec and multihash); `E_PIECE_CID_INVALID` for one that claims a form and breaks it.
 */
export function pieceCidV1Of(cid: CID): CID | undefined {
  if (cid.code === FIL_COMMITMENT_UNSEALED) {
    rootFromPieceCidV1(cid)
    return cid
  }
  if (cid.multihash.code === FR32_SHA256_TRUNC254_PADBINTREE) return pieceCidV2ToV1(cid).pieceCid
  return undefined
}

/**
 * Tree height and zero padding of a payload (go-fil-commcid `PayloadSizeToV1TreeHeightAndPadding`, with the
 * 128-byte minimum piece of FRC-0069 and data-segment, so tiny payloads get height 2).
 */
export function payloadTreeShape(payloadSize: number): { height: number; padding: number } {
  if (typeof payloadSize !== 'number' || !Number.isSafeInteger(payloadSize) || payloadSize < 0) {
    throw new SizeInvalidError('payload size', payloadSize)
  }
  const maxPayload = (sizeFromHeight(MAX_V2_HEIGHT) / 128) * 127
  if (payloadSize > maxPayload) throw new PayloadTooLargeError(payloadSize, maxPayload)
  const height = Math.max(2, fr32SizeTreeHeight(Math.ceil((payloadSize * 128) / 127)))
  const padding = (sizeFromHeight(height) / 128) * 127 - payloadSize
  return { height, padding }
}

/** Height of the smallest tree holding `size` fr32-padded bytes (go-fil-commcid `fr32PaddedSizeToV1TreeHeight`). */
export function fr32SizeTreeHeight(size: number): number {
  let height = 0
  while (32 * 2 ** height < size) height++
  return height
}

function toCid(cid: CID | string): CID {
  if (typeof cid !== 'string') {
    const c = CID.asCID(cid)
    if (!c) throw new PieceCidInvalidError('not a CID')
    return c
  }
  try {
    return CID.parse(cid)
  } catch (err) {
    throw new PieceCidInvalidError(`cannot parse ${JSON.stringify(cid.slice(0, 80))}`, { cause: err })
  }
}
