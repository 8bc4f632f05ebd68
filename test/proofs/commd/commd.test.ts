import { describe, expect, it } from 'vitest'
import {
  aggregateCommitments,
  commPFromBytes,
  fillersFromRemainder,
  generateUnsealedCid,
  layoutSector,
  padCommitment,
  pieceCidV1,
  requiredPadding,
  rootFromPieceCidV1,
  SECTOR_SIZES,
  toPaddedPieceSize,
  zeroCommitment,
  zeroPieceCommitment,
  typescriptTreeHasher,
  type PieceRef,
} from '../../../src/proofs/index.ts'
import { codeOf, concat, filled, hex } from '../helpers.ts'
import { MAINNET_SECTOR, SECTOR_2KIB_CASES, ZERO_COMMITMENTS } from '../vectors.ts'

const commP = (payload: Uint8Array) => commPFromBytes(payload, { hasher: typescriptTreeHasher })

describe('CommD', () => {
  it('gives the CommD of mainnet sector f01392893:139074 from its pieces (go-commp-utils TestGenerateUnsealedCID)', () => {
    const deals: PieceRef[] = MAINNET_SECTOR.pieces.map(([cid, size]) => ({ pieceCid: cid, size: toPaddedPieceSize(size) }))
    const withZeros = [...deals, ...MAINNET_SECTOR.zeroTail.map((size) => ({ pieceCid: pieceCidV1(zeroPieceCommitment(toPaddedPieceSize(size))), size: toPaddedPieceSize(size) }))]
    expect(generateUnsealedCid(MAINNET_SECTOR.sectorSize, withZeros).toString()).toBe(MAINNET_SECTOR.commD)
    // Lotus style: only the deals; alignment and the zero tail come from the layout.
    expect(generateUnsealedCid(MAINNET_SECTOR.sectorSize, deals).toString()).toBe(MAINNET_SECTOR.commD)
    // Rust style: aggregate only the deals, an 8 GiB tree, then zero-pad it.
    const agg = aggregateCommitments(deals.map((p) => ({ root: rootFromPieceCidV1(p.pieceCid), size: p.size })))
    expect(agg.size).toBe(8 * 2 ** 30)
    expect(pieceCidV1(agg.root).toString()).toBe(MAINNET_SECTOR.dealsOnly)
    expect(pieceCidV1(padCommitment(agg.root, agg.size, toPaddedPieceSize(MAINNET_SECTOR.sectorSize))).toString()).toBe(MAINNET_SECTOR.commD)
  })

  it("equals the commP of the flat sector bytes for every layout of Lotus's 2 KiB test", () => {
    for (const c of SECTOR_2KIB_CASES) {
      const pieces: PieceRef[] = c.pieces.map(([b, den]) => {
        const d = commP(filled(2032 / den, b))
        return { pieceCid: pieceCidV1(d.root), size: d.pieceSize }
      })
      const cid = generateUnsealedCid(2048, pieces).toString()
      expect(cid, c.name).toBe(c.commD)
      const flat = concat(c.flat.map(([b, den]) => filled(2032 / den, b)))
      expect(flat.length).toBe(2032)
      expect(pieceCidV1(commP(flat).root).toString(), c.name).toBe(c.commD)
    }
  })

  it('gives the zero commitment of the sector for an empty sector, for every sector size', () => {
    for (const size of SECTOR_SIZES) {
      const level = Math.log2(size) - 5
      expect(generateUnsealedCid(size, []).toString()).toBe(ZERO_COMMITMENTS[level][2])
    }
  })

  it('lays pieces out with zero padding before misaligned pieces and fillers to the end', () => {
    const p = (size: number, b: number): PieceRef => ({ pieceCid: pieceCidV1(commP(filled((size / 128) * 127, b)).root), size: toPaddedPieceSize(size) })
    const slots = layoutSector(2048, [p(128, 1), p(512, 2), p(256, 3)])
    expect(slots.map((s) => [s.offset, s.size, s.piece])).toEqual([
      [0, 128, 0],
      [128, 128, null],
      [256, 256, null],
      [512, 512, 1],
      [1024, 256, 2],
      [1280, 256, null],
      [1536, 512, null],
    ])
    for (const s of slots) expect(s.offset % s.size).toBe(0)
    for (const s of slots.filter((x) => x.piece === null)) expect(hex(s.root)).toBe(hex(zeroPieceCommitment(s.size)))
  })

  it("reproduces Lotus's GetRequiredPadding and FillersFromRem", () => {
    expect(requiredPadding(0, toPaddedPieceSize(1024))).toEqual([])
    expect(requiredPadding(128, toPaddedPieceSize(1024))).toEqual([128, 256, 512])
    expect(requiredPadding(1024 + 256, toPaddedPieceSize(1024))).toEqual([256, 512])
    expect(requiredPadding(32 * 2 ** 30 - 128, toPaddedPieceSize(2 ** 35))).toEqual([128])
    expect(fillersFromRemainder(2032)).toEqual([2032])
    expect(fillersFromRemainder(127 + 254 + 1016)).toEqual([127, 254, 1016])
    expect(fillersFromRemainder(0)).toEqual([])
    const sector32 = 32 * 2 ** 30
    expect(fillersFromRemainder((sector32 / 128) * 127 - 127)).toHaveLength(28)
    expect(codeOf(() => fillersFromRemainder(100))).toBe('E_UNPADDED_PIECE_SIZE_INVALID')
  })

  it('aggregates with zero pieces where a piece needs alignment (rust compute_comm_d)', () => {
    const a = commP(filled(127, 1))
    const b = commP(filled(508, 2))
    const agg = aggregateCommitments([
      { root: a.root, size: a.pieceSize },
      { root: b.root, size: b.pieceSize },
    ])
    expect(agg.size).toBe(1024)
    const flat = concat([filled(127, 1), filled(381, 0), filled(508, 2)])
    expect(hex(agg.root)).toBe(hex(commP(flat).root))
    expect(hex(aggregateCommitments([{ root: zeroCommitment(2), size: toPaddedPieceSize(128) }]).root)).toBe(hex(zeroCommitment(2)))
  })

  it('rejects bad sector sizes, oversized or too many pieces, bad piece sizes and non-piece CIDs', () => {
    const piece = (size: number): PieceRef => ({ pieceCid: pieceCidV1(zeroPieceCommitment(toPaddedPieceSize(size))), size: size as never })
    expect(codeOf(() => generateUnsealedCid(4096, []))).toBe('E_SECTOR_SIZE_INVALID')
    expect(codeOf(() => generateUnsealedCid(2048, [piece(4096)]))).toBe('E_PIECES_EXCEED_SECTOR')
    // 128 at 0, then 1024 must wait for offset 1024, leaving no room for 512 after it.
    expect(codeOf(() => generateUnsealedCid(2048, [piece(128), piece(1024), piece(1024)]))).toBe('E_PIECES_EXCEED_SECTOR')
    expect(codeOf(() => generateUnsealedCid(2048, Array.from({ length: 17 }, () => piece(128))))).toBe('E_TOO_MANY_PIECES')
    expect(codeOf(() => generateUnsealedCid(2048, [{ pieceCid: piece(128).pieceCid, size: 100 as never }]))).toBe('E_PIECE_SIZE_TOO_SMALL')
    expect(codeOf(() => generateUnsealedCid(2048, [{ pieceCid: piece(128).pieceCid, size: 384 as never }]))).toBe('E_PIECE_SIZE_NOT_POWER_OF_TWO')
    expect(codeOf(() => generateUnsealedCid(2048, [{ pieceCid: 'bafkqaaa', size: toPaddedPieceSize(128) }]))).toBe('E_PIECE_CID_INVALID')
    expect(codeOf(() => aggregateCommitments([]))).toBe('E_NO_PIECES')
    expect(codeOf(() => aggregateCommitments([{ root: new Uint8Array(3), size: toPaddedPieceSize(128) }]))).toBe('E_COMMITMENT_INVALID')
  })
})
