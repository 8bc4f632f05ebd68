/**
 * Side by side with the reference packages on random payloads: @web3-storage/data-segment (pure JS) and
 * fr32-sha2-256-trunc254-padded-binary-tree-multihash (Rust compiled to wasm). Sizes stay small to medium:
 * data-segment hashes about 4 MB/s.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { Piece } from '@web3-storage/data-segment'
import * as WasmHasher from 'fr32-sha2-256-trunc254-padded-binary-tree-multihash'
import { commPFromStream, getProofsNative, pieceCidV1, pieceCidV2, typescriptTreeHasher, type PieceTreeHasher } from '../../../src/proofs/index.ts'
import { locateLibrary, openProofsNative } from '../../../src/node/runtime/native/index.ts'
import { chunked } from '../helpers.ts'

function wasmPieceCidV2(payload: Uint8Array): string {
  const h = WasmHasher.create()
  for (let at = 0; at < payload.length; at += 1 << 16) h.write(payload.subarray(at, at + (1 << 16)))
  const mh = new Uint8Array(h.multihashByteLength())
  h.digestInto(mh, 0, true)
  h.free()
  return CID.create(1, 0x55, Digest.decode(mh)).toString()
}

function hashers(): Array<[string, PieceTreeHasher]> {
  const list: Array<[string, PieceTreeHasher]> = [['typescript', typescriptTreeHasher]]
  // Without the library only the TypeScript path is compared; native.test.ts reports why.
  if (!('reason' in locateLibrary())) list.push(['native', getProofsNative() ?? openProofsNative()])
  return list
}

/** A payload of `size` pseudo-random bytes from `seed`. */
function payloadOf(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let s = seed | 1
  for (let i = 0; i < size; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    out[i] = s
  }
  return out
}

describe('against the reference packages', () => {
  for (const [name, hasher] of hashers()) {
    it(`${name}: agrees with data-segment on v1 and v2 for random sizes from 65 bytes to 300 KB`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 65, max: 300_000 }), fc.integer(), async (size, seed) => {
          const payload = payloadOf(size, seed)
          const ours = await commPFromStream(chunked(payload, seed), { hasher })
          const theirs = Piece.fromPayload(payload)
          expect(pieceCidV2(ours.root, ours.payloadSize).toString()).toBe(theirs.link.toString())
          expect(pieceCidV1(ours.root).toString()).toBe(theirs.toInfo().link.toString())
          expect(ours.height).toBe(theirs.height)
          expect(BigInt(ours.padding)).toBe(theirs.padding)
        }),
        { numRuns: 12 },
      )
    })

    it(`${name}: agrees with the wasm hasher for random sizes up to 3 MB, and for tiny payloads`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 65, max: 3_000_000 })), fc.integer(), async (size, seed) => {
          const payload = payloadOf(size, seed)
          const ours = await commPFromStream(chunked(payload, seed, 300_000), { hasher })
          expect(pieceCidV2(ours.root, ours.payloadSize).toString()).toBe(wasmPieceCidV2(payload))
        }),
        { numRuns: 15 },
      )
    })
  }
})
