/**
 * The native library against the same golden vectors as the TypeScript path, once per SHA-256 implementation
 * this CPU has (SHA-NI and portable on x86 with SHA extensions), and byte-for-byte against TypeScript on
 * random inputs. The library is built by test/global-setup.ts; without a C compiler these are skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { CommPHasher, fr32Pad, fr32Unpad, typescriptTreeHasher, type ProofsNative } from '../../../src/proofs/index.ts'
import { forceNativeSha, openProofsNative } from '../../../src/node/runtime/native/index.ts'
import { codeOf, hex } from '../helpers.ts'
import { commPConformance } from './conformance.ts'

function open(): ProofsNative | string {
  try {
    return openProofsNative()
  } catch (err) {
    return (err as Error).message
  }
}

const native = open()
const detected = typeof native === 'string' ? null : native.sha

for (const sha of ['sha-ni', 'portable'] as const) {
  const available = typeof native !== 'string' && (sha === 'portable' || detected === sha)
  describe.skipIf(!available)(`native library, ${sha} SHA-256`, () => {
    beforeAll(() => forceNativeSha(sha))
    afterAll(() => forceNativeSha(detected!))

    it(`reports ${sha} as its SHA-256`, () => {
      expect((native as ProofsNative).sha).toBe(sha)
      expect((native as ProofsNative).name).toBe(`native:${sha}`)
    })

    commPConformance(`native ${sha}`, () => (available ? (native as ProofsNative) : `${sha} not available`))

    it('hashes node pairs as sha256 with the top two bits cleared, in place too', () => {
      const n = native as ProofsNative
      for (const count of [1, 2, 3, 4, 5, 7, 8, 33]) {
        const input = new Uint8Array(64 * count).map((_, i) => (i * 37 + count) & 0xff)
        const expected = new Uint8Array(32 * count)
        for (let i = 0; i < count; i++) {
          const d = createHash('sha256').update(input.subarray(64 * i, 64 * i + 64)).digest()
          d[31] &= 0x3f
          expected.set(d, 32 * i)
        }
        const out = new Uint8Array(32 * count)
        n.hashPairs(input, out)
        expect(hex(out)).toBe(hex(expected))
        n.hashPairs(input, input)
        expect(hex(input.subarray(0, 32 * count))).toBe(hex(expected))
      }
    })

    it('agrees with TypeScript on every subtree size and on random payloads in random slicings', () => {
      const n = native as ProofsNative
      for (let k = 0; k <= 12; k++) {
        const payload = new Uint8Array(127 * 2 ** k).map((_, i) => (i * 2654435761) >>> 24)
        const a = new Uint8Array(32)
        const b = new Uint8Array(32)
        n.subtreeRoot(payload, a)
        typescriptTreeHasher.subtreeRoot(payload, b)
        expect(hex(a), `2^${k} quads`).toBe(hex(b))
      }
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 0, maxLength: 40_000 }), fc.integer({ min: 1, max: 5000 }), (payload, step) => {
          const ours = new CommPHasher({ hasher: n, chunkQuads: 64 })
          for (let at = 0; at < payload.length; at += step) ours.write(payload.subarray(at, at + step))
          const ref = new CommPHasher({ hasher: typescriptTreeHasher }).write(payload).digest()
          expect(hex(ours.digest().root)).toBe(hex(ref.root))
        }),
        { numRuns: 40 },
      )
    })

    it('pads and unpads fr32 exactly as TypeScript does, from unaligned views too', () => {
      const n = native as ProofsNative
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 7 }), (quads, skew) => {
          const backing = new Uint8Array(quads * 127 + skew).map((_, i) => (i * 131 + skew) & 0xff)
          const input = backing.subarray(skew)
          const padded = new Uint8Array(quads * 128)
          n.fr32Pad(input, padded)
          expect(hex(padded)).toBe(hex(fr32Pad(input)))
          const back = new Uint8Array(quads * 127)
          n.fr32Unpad(padded, back)
          expect(hex(back)).toBe(hex(fr32Unpad(padded)))
        }),
      )
    })

    it('turns bad lengths and invalid fr32 into the same typed errors as TypeScript', () => {
      const n = native as ProofsNative
      expect(codeOf(() => n.subtreeRoot(new Uint8Array(127 * 3), new Uint8Array(32)))).toBe('E_SUBTREE_LENGTH')
      expect(codeOf(() => n.subtreeRoot(new Uint8Array(0), new Uint8Array(32)))).toBe('E_SUBTREE_LENGTH')
      expect(codeOf(() => n.fr32Pad(new Uint8Array(128), new Uint8Array(256)))).toBe('E_FR32_LENGTH')
      expect(codeOf(() => n.fr32Pad(new Uint8Array(127), new Uint8Array(100)))).toBe('E_FR32_OUTPUT_TOO_SMALL')
      expect(codeOf(() => n.fr32Unpad(new Uint8Array(100), new Uint8Array(100)))).toBe('E_FR32_LENGTH')
      const bad = new Uint8Array(256)
      bad[127] = 0xc0
      expect(codeOf(() => n.fr32Unpad(bad, new Uint8Array(254)))).toBe('E_FR32_INVALID')
      expect(codeOf(() => n.hashPairs(new Uint8Array(65), new Uint8Array(64)))).toBe('E_NODE_PAIRS_LENGTH')
    })
  })
}

describe.skipIf(typeof native !== 'string')('native library unavailable', () => {
  it('says why', () => {
    expect(typeof native).toBe('string')
  })
})
