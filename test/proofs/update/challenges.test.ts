import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { frFromBytes, frInv, frMul, FR_MODULUS } from '../../../src/proofs/field/index.ts'
import { sectorParams } from '../../../src/proofs/sector/index.ts'
import { rhoBucket, updateChallenges, updatePhi, updateRhoInverses, updateRhos } from '../../../src/proofs/update/index.ts'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ((b[31] &= 0x3f), b))

describe('replica update challenges and randomness', () => {
  it('puts partition k challenges in the k-th chunk of the sector, the right number of them', () => {
    for (const size of [2048, 8 << 20, 512 << 20, 32 * 2 ** 30]) {
      const p = sectorParams(size)
      fc.assert(
        fc.property(bytes32, fc.nat(p.updatePartitions - 1), (commRNew, k) => {
          const chunk = p.nodes / p.updatePartitions
          const c = updateChallenges(p, commRNew, k)
          expect(c).toHaveLength(p.updateChallengesPerPartition)
          for (const x of c) expect(x >= k * chunk && x < (k + 1) * chunk).toBe(true)
        }),
        { numRuns: 10 },
      )
    }
  })

  it('derives different challenges for different CommR_new', () => {
    const p = sectorParams(8 << 20)
    expect(updateChallenges(p, new Uint8Array(32), 1)).not.toEqual(updateChallenges(p, new Uint8Array(32).fill(1), 1))
  })

  it('gives 2^h canonical rhos, one per high-bits bucket, and their inverses', () => {
    const p = sectorParams(8 << 20)
    const rhos = updateRhos(p, updatePhi(new Uint8Array(32).fill(3), new Uint8Array(32).fill(4)))
    expect(rhos.values.length).toBe(32 * 1024)
    expect(rhos.shift).toBe(8)
    expect(rhoBucket(p, p.nodes - 1)).toBe(1023)
    const inv = updateRhoInverses(rhos)
    for (const i of [0, 1, 511, 1023]) {
      const rho = frFromBytes(rhos.values, 32 * i)
      expect(rho < FR_MODULUS).toBe(true)
      expect(frFromBytes(inv.values, 32 * i)).toBe(frInv(rho))
      expect(frMul(rho, frFromBytes(inv.values, 32 * i))).toBe(1n)
    }
  })
})
