/**
 * The commP conformance suite: every golden vector, run against one subtree hasher. The TypeScript hasher
 * and each native SHA-256 path run it, so all of them must agree with the references byte for byte.
 */
import { describe, expect, it } from 'vitest'
import {
  CommPHasher,
  commPFromBytes,
  commPFromStream,
  padCommitment,
  pieceCidV1,
  pieceCidV2,
  pieceFromDigest,
  rootFromPieceCidV1,
  toPaddedPieceSize,
  type PieceTreeHasher,
} from '../../../src/proofs/index.ts'
import { chunked, concat, deriveBuffer, filled, hex, mod251, rawSha256Cid } from '../helpers.ts'
import { CONSTANT_PAYLOADS, DERIVED_PAYLOADS, LOTUS_VECTORS, MOD251_1MIB, V2_VECTORS } from '../vectors.ts'

function v1(payload: Uint8Array, hasher: PieceTreeHasher): string {
  return pieceCidV1(commPFromBytes(payload, { hasher }).root).toString()
}

function payloadD(): Uint8Array {
  return concat([filled(127, 0), filled(127, 1), filled(127, 2), filled(127, 3)])
}

/** Registers the suite for `hasher` (skipped with the reason when it is unavailable). */
export function commPConformance(label: string, load: () => PieceTreeHasher | string): void {
  const loaded = load()
  const hasher = typeof loaded === 'string' ? null : loaded
  describe.skipIf(!hasher)(`commP conformance: ${label}${typeof loaded === 'string' ? ` (skipped: ${loaded})` : ''}`, () => {
    const h = hasher!

    it('matches go-fil-commp-hashhash for n × 0x00 and n × 0xCC payloads', () => {
      for (const [n, padded, zero, cc] of CONSTANT_PAYLOADS) {
        const d = commPFromBytes(filled(n, 0), { hasher: h })
        expect(d.pieceSize).toBe(padded)
        expect(pieceCidV1(d.root).toString()).toBe(zero)
        expect(v1(filled(n, 0xcc), h)).toBe(cc)
      }
    })

    it('matches the data-segment vectors (deriveBuffer payloads, 65 B to 4 MiB)', () => {
      const largest = deriveBuffer(Math.max(...DERIVED_PAYLOADS.map((r) => r[0])))
      for (const [size, payloadCid, padded, commP] of DERIVED_PAYLOADS) {
        const payload = largest.subarray(0, size)
        expect(rawSha256Cid(payload)).toBe(payloadCid)
        const d = commPFromBytes(payload, { hasher: h })
        expect(d.pieceSize).toBe(padded)
        expect(pieceCidV1(d.root).toString()).toBe(commP)
      }
    })

    it('gives the FRC-0069 v1 and v2 CIDs of the D payloads, the empty payload and 127/128 zeros', () => {
      const D = payloadD()
      const payloads: Record<string, Uint8Array> = {
        D,
        'D ‖ 508×0x00': concat([D, filled(508, 0)]),
        'D ‖ 4×0x00': concat([D, filled(4, 0)]),
        'D ‖ 5×0x00': concat([D, filled(5, 0)]),
        empty: new Uint8Array(0),
        '127×0x00': filled(127, 0),
        '128×0x00': filled(128, 0),
      }
      for (const v of V2_VECTORS) {
        const d = commPFromBytes(payloads[v.payload], { hasher: h })
        expect(d.payloadSize).toBe(v.size)
        expect(d.height).toBe(v.height)
        expect(d.padding).toBe(v.padding)
        expect(pieceCidV2(d.root, d.payloadSize).toString()).toBe(v.v2)
        if (v.v1) expect(pieceCidV1(d.root).toString()).toBe(v.v1)
      }
    })

    it("matches Lotus's DataCid vectors ('a' × 1016, 16 MiB, 10 MiB padded to 16 MiB)", () => {
      for (const v of [LOTUS_VECTORS.a1016, LOTUS_VECTORS.a16MiB, LOTUS_VECTORS.a10MiB]) {
        const d = commPFromBytes(filled(v.size, v.byte), { hasher: h })
        expect(d.pieceSize).toBe(v.pieceSize)
        expect(pieceCidV1(d.root).toString()).toBe(v.v1)
      }
    })

    it('matches go-commp-utils TestZeroPadding: commP of text + zeros equals the zero-padded commitment', () => {
      const { text, v1: cid, paddedTo512 } = LOTUS_VECTORS.cat
      const small = new Uint8Array(127)
      small.set(new TextEncoder().encode(text))
      expect(v1(small, h)).toBe(cid)
      const big = new Uint8Array(508)
      big.set(small)
      expect(v1(big, h)).toBe(paddedTo512)
      const padded = padCommitment(rootFromPieceCidV1(cid), toPaddedPieceSize(128), toPaddedPieceSize(512))
      expect(pieceCidV1(padded).toString()).toBe(paddedTo512)
    })

    it('gives the issue vector for 1 MiB of i % 251 (v1, v2, root, height, padding)', async () => {
      const d = await commPFromStream(chunked(mod251(MOD251_1MIB.size), 11), { hasher: h })
      const piece = pieceFromDigest(d)
      expect(piece.pieceCid.toString()).toBe(MOD251_1MIB.v1)
      expect(piece.pieceCidV2.toString()).toBe(MOD251_1MIB.v2)
      expect(hex(d.root)).toBe(MOD251_1MIB.root)
      expect([d.pieceSize, d.height, d.padding]).toEqual([MOD251_1MIB.pieceSize, MOD251_1MIB.height, MOD251_1MIB.padding])
    })

    it('gives the same digest for any slicing of the stream and for digests taken mid-stream', () => {
      const payload = deriveBuffer(3 * 127 * 2 ** 13 + 12345)
      const whole = commPFromBytes(payload, { hasher: h })
      const hasher = new CommPHasher({ hasher: h, chunkQuads: 2 ** 6 })
      let at = 0
      for (const step of [1, 126, 128, 127 * 64, 127 * 64 * 3 + 5, 999_999]) {
        hasher.write(payload.subarray(at, at + step))
        at += step
        const mid = hasher.digest()
        expect(hex(mid.root)).toBe(hex(commPFromBytes(payload.subarray(0, Math.min(at, payload.length)), { hasher: h }).root))
      }
      hasher.write(payload.subarray(at))
      expect(hex(hasher.digest().root)).toBe(hex(whole.root))
    })
  })
}
