/**
 * The TypeScript path against every golden vector — both its hashers: node:crypto one-shot per node (the
 * default) and the SHA-256 written in TypeScript (the fallback) — plus the hasher's own edge cases.
 */
import { describe, expect, it } from 'vitest'
import { CommPHasher, jsTreeHasher, MAX_PAYLOAD_SIZE, subtreeRootCrypto, subtreeRootJs, typescriptTreeHasher } from '../../../src/proofs/index.ts'
import { codeOf, hex } from '../helpers.ts'
import { commPConformance } from './conformance.ts'

commPConformance('typescript (node:crypto per node)', () => ({ name: 'typescript', subtreeRoot: subtreeRootCrypto }))
commPConformance('typescript (SHA-256 in TypeScript)', () => jsTreeHasher)

describe('commP hasher', () => {
  it('refuses payloads past a 64 GiB piece and keeps what it had', () => {
    const hasher = new CommPHasher({ hasher: typescriptTreeHasher })
    hasher.write(new Uint8Array(1000))
    // Roots of whole subtrees must start at a multiple of their size, with nothing buffered.
    expect(codeOf(() => hasher.writeSubtreeRoot(new Uint8Array(32), 127 * 2 ** 10))).toBe('E_SUBTREE_MISALIGNED')
    // Two subtree roots standing for the whole 64 GiB piece; nothing more fits.
    const big = new CommPHasher({ hasher: typescriptTreeHasher }).writeSubtreeRoot(new Uint8Array(32), MAX_PAYLOAD_SIZE / 2)
    expect(codeOf(() => big.writeSubtreeRoot(new Uint8Array(32), MAX_PAYLOAD_SIZE))).toBe('E_PAYLOAD_TOO_LARGE')
    big.writeSubtreeRoot(new Uint8Array(32), MAX_PAYLOAD_SIZE / 2)
    expect(codeOf(() => big.write(new Uint8Array(1)))).toBe('E_PAYLOAD_TOO_LARGE')
    expect(big.payloadSize).toBe(MAX_PAYLOAD_SIZE)
    expect(big.digest().pieceSize).toBe(2 ** 36)
    expect(hasher.payloadSize).toBe(1000)
  })

  it('rejects subtrees that are not 127 × 2^k bytes', () => {
    for (const f of [subtreeRootCrypto, subtreeRootJs]) {
      for (const n of [0, 126, 128, 127 * 3, 127 * 6]) expect(codeOf(() => f(new Uint8Array(n), new Uint8Array(32)))).toBe('E_SUBTREE_LENGTH')
    }
  })

  it('gives the same subtree roots with both TypeScript hashers for every size up to 2^14 quads', () => {
    for (let k = 0; k <= 14; k++) {
      const payload = new Uint8Array(127 * 2 ** k).map((_, i) => (i * 2246822519) >>> 27)
      const a = new Uint8Array(32)
      const b = new Uint8Array(32)
      subtreeRootCrypto(payload, a)
      subtreeRootJs(payload, b)
      expect(hex(a), `2^${k} quads`).toBe(hex(b))
    }
    expect(typescriptTreeHasher.name).toBe('typescript')
  })
})
