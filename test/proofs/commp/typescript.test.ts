/** The TypeScript path against every golden vector, plus the hasher's own edge cases. */
import { describe, expect, it } from 'vitest'
import { CommPHasher, MAX_PAYLOAD_SIZE, subtreeRootTs, typescriptTreeHasher } from '../../../src/proofs/index.ts'
import { codeOf } from '../helpers.ts'
import { commPConformance } from './conformance.ts'

commPConformance('typescript', () => typescriptTreeHasher)

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
    for (const n of [0, 126, 128, 127 * 3, 127 * 6]) expect(codeOf(() => subtreeRootTs(new Uint8Array(n), new Uint8Array(32)))).toBe('E_SUBTREE_LENGTH')
  })
})
