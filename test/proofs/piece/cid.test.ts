import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { Piece } from '@web3-storage/data-segment'
import {
  decodePieceCidV2,
  fr32SizeTreeHeight,
  padCommitment,
  payloadTreeShape,
  pieceCidV1,
  pieceCidV1ToV2,
  pieceCidV2,
  pieceCidV2ToV1,
  rootFromPieceCidV1,
  toPaddedPieceSize,
  zeroCommitment,
  zeroPieceCommitment,
} from '../../../src/proofs/index.ts'
import { codeOf, fromHex, hex } from '../helpers.ts'
import { FR32_SIZE_HEIGHTS, TREE_SHAPES, V2_D_BYTES_HEX, V2_VECTORS, V2_ZERO_SECTORS, ZERO_COMMITMENTS } from '../vectors.ts'

describe('zero commitments', () => {
  it('reproduces the zero table of go-commp-utils for levels 0 to 36, with their piece CIDs', () => {
    for (const [level, root, cid] of ZERO_COMMITMENTS) {
      expect(hex(zeroCommitment(level))).toBe(root)
      if (cid) expect(pieceCidV1(zeroCommitment(level)).toString()).toBe(cid)
    }
  })

  it('matches data-segment at level 63', () => {
    expect(hex(zeroCommitment(63))).toBe('bb9462a9ee16c8ad34315dbdcf314bf3bad4a441ed1013d26faff9c0a0f23f19')
  })

  it('indexes zero piece commitments by padded size', () => {
    expect(hex(zeroPieceCommitment(toPaddedPieceSize(2 ** 35)))).toBe(ZERO_COMMITMENTS[30][1])
    expect(codeOf(() => zeroPieceCommitment(100 as never))).toBe('E_PIECE_SIZE_TOO_SMALL')
    expect(() => zeroCommitment(64)).toThrow(RangeError)
  })

  it('zero-pads a commitment to a larger piece; padding zeros gives the larger zero commitment', () => {
    expect(hex(padCommitment(zeroCommitment(2), toPaddedPieceSize(128), toPaddedPieceSize(2 ** 20)))).toBe(hex(zeroCommitment(15)))
    const root = zeroCommitment(4)
    const same = padCommitment(root, toPaddedPieceSize(512), toPaddedPieceSize(512))
    expect(hex(same)).toBe(hex(root))
    expect(same).not.toBe(root)
    expect(codeOf(() => padCommitment(root, toPaddedPieceSize(1024), toPaddedPieceSize(512)))).toBe('E_PIECE_SIZE_TOO_SMALL')
    expect(codeOf(() => padCommitment(new Uint8Array(31), toPaddedPieceSize(128), toPaddedPieceSize(256)))).toBe('E_COMMITMENT_INVALID')
  })
})

describe('piece CIDs', () => {
  it('encodes v1 as fil-commitment-unsealed + sha2-256-trunc254-padded (baga6ea4seaq…)', () => {
    const cid = pieceCidV1(zeroCommitment(2))
    expect(hex(cid.bytes.subarray(0, 7))).toBe('0181e203922020')
    expect(cid.toString().startsWith('baga6ea4seaq')).toBe(true)
    expect(hex(rootFromPieceCidV1(cid.toString()))).toBe(hex(zeroCommitment(2)))
  })

  it('encodes v2 as FRC-0069 specifies (the example bytes for the 508-byte payload)', () => {
    const v = V2_VECTORS[0]
    const cid = pieceCidV2ToV1(v.v2)
    expect(cid.pieceCid.toString()).toBe(v.v1)
    const v2 = pieceCidV2(rootFromPieceCidV1(v.v1!), 508)
    expect(hex(v2.bytes)).toBe(V2_D_BYTES_HEX)
    expect(v2.toString()).toBe(v.v2)
  })

  it('converts every FRC-0069 vector v1 → v2 and v2 → v1 with padding and height', () => {
    for (const v of V2_VECTORS) {
      const info = decodePieceCidV2(v.v2)
      expect(info.padding).toBe(v.padding)
      expect(info.height).toBe(v.height)
      expect(info.payloadSize).toBe(v.size)
      expect(info.pieceSize).toBe(32 * 2 ** v.height)
      if (v.v1) {
        expect(pieceCidV1ToV2(v.v1, v.size).toString()).toBe(v.v2)
        const back = pieceCidV2ToV1(CID.parse(v.v2))
        expect(back.pieceCid.toString()).toBe(v.v1)
        expect(back.payloadSize).toBe(v.size)
      }
    }
  })

  it('gives the v2 CIDs of all-zero 32 GiB and 64 GiB pieces from zero commitments', () => {
    for (const v of V2_ZERO_SECTORS) {
      expect(pieceCidV1(zeroCommitment(v.level)).toString()).toBe(v.v1)
      expect(pieceCidV2(zeroCommitment(v.level), v.size).toString()).toBe(v.v2)
    }
  })

  it('computes tree height and padding as go-fil-commcid does', () => {
    for (const [size, height, padding] of TREE_SHAPES) expect(payloadTreeShape(size)).toEqual({ height, padding })
    for (const [size, height] of FR32_SIZE_HEIGHTS) expect(Math.max(fr32SizeTreeHeight(size), size > 32 ? 2 : 0)).toBe(height)
  })

  it('agrees with data-segment on v2 ↔ v1 for random roots and payload sizes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 0, max: 2 ** 40 }), (bytes, size) => {
        const root = bytes.slice()
        root[31] &= 0x3f
        const ours = pieceCidV2(root, size)
        const parsed = Piece.fromLink(ours as never)
        expect(hex(parsed.root)).toBe(hex(root))
        expect(Number(parsed.padding)).toBe(payloadTreeShape(size).padding)
        expect(parsed.height).toBe(payloadTreeShape(size).height)
        expect(parsed.toInfo().link.toString()).toBe(pieceCidV1(root).toString())
      }),
      { numRuns: 200 },
    )
  })

  it('rejects CIDs of the wrong codec, multihash or digest length with E_PIECE_CID_INVALID', () => {
    const root = zeroCommitment(3)
    const wrongCodec = CID.createV1(0x55, Digest.create(0x1012, root)).toString()
    const wrongHash = CID.createV1(0xf101, Digest.create(0x12, root)).toString()
    const shortDigest = CID.createV1(0xf101, Digest.create(0x1012, root.subarray(0, 31))).toString()
    for (const bad of [wrongCodec, wrongHash, shortDigest, 'not a cid', 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy']) {
      expect(codeOf(() => rootFromPieceCidV1(bad))).toBe('E_PIECE_CID_INVALID')
      expect(codeOf(() => decodePieceCidV2(bad))).toBe('E_PIECE_CID_INVALID')
    }
    expect(codeOf(() => rootFromPieceCidV1(CID.parse(V2_VECTORS[0].v2)))).toBe('E_PIECE_CID_INVALID')
    expect(codeOf(() => pieceCidV1(new Uint8Array(33)))).toBe('E_COMMITMENT_INVALID')
    expect(codeOf(() => pieceCidV2(new Uint8Array(31), 100))).toBe('E_COMMITMENT_INVALID')
    expect(codeOf(() => pieceCidV2(root, -1))).toBe('E_SIZE_INVALID')
  })

  it('rejects v2 digests whose padding is not canonical for their height, or whose length is off', () => {
    const v2 = (digest: Uint8Array) => CID.createV1(0x55, Digest.create(0x1011, digest))
    const root = zeroCommitment(5)
    // Height 5 holds 1016 payload bytes; 600 bytes of padding leaves 416, which needs only height 4.
    const overPadded = fromHex(`d804` + `05` + hex(root))
    expect(codeOf(() => decodePieceCidV2(v2(overPadded)))).toBe('E_PIECE_CID_INVALID')
    // Padding beyond the capacity.
    expect(codeOf(() => decodePieceCidV2(v2(fromHex(`f807` + `05` + hex(root)))))).toBe('E_PIECE_CID_INVALID')
    // Height below the 128-byte minimum, and absurd heights.
    expect(codeOf(() => decodePieceCidV2(v2(fromHex(`00` + `01` + hex(root)))))).toBe('E_PIECE_CID_INVALID')
    expect(codeOf(() => decodePieceCidV2(v2(fromHex(`00` + `ff` + hex(root)))))).toBe('E_PIECE_CID_INVALID')
    // A digest one byte short or long.
    expect(codeOf(() => decodePieceCidV2(v2(fromHex(`00` + `05` + hex(root).slice(2)))))).toBe('E_PIECE_CID_INVALID')
    expect(codeOf(() => decodePieceCidV2(v2(fromHex(`00` + `05` + hex(root) + '00'))))).toBe('E_PIECE_CID_INVALID')
    // A padding varint that never ends.
    expect(codeOf(() => decodePieceCidV2(v2(new Uint8Array(34).fill(0xff))))).toBe('E_PIECE_CID_INVALID')
  })
})
