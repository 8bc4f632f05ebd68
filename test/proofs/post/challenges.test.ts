import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { leafChallenge, postRandomness, sectorChallenges, winningPoStSectorChallenge } from '../../../src/proofs/post/index.ts'
import { proverIdFromActorId } from '../../../src/proofs/sector/index.ts'

const u64le = (v: bigint) => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64LE(v)
  return b
}

describe('fallback PoSt challenges', () => {
  it('clears the top two bits of the randomness and leaves the input alone', () => {
    const raw = new Uint8Array(32).fill(0xff)
    const r = postRandomness(raw)
    expect(r[31]).toBe(0x3f)
    expect(raw[31]).toBe(0xff)
  })

  it('derives a leaf as u64_LE(SHA-256(randomness ‖ u64_LE(sector) ‖ u64_LE(index))) mod nodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (rand, sector, index) => {
        const d = createHash('sha256').update(rand).update(u64le(sector)).update(u64le(index)).digest()
        expect(leafChallenge(rand, sector, index, 1 << 18)).toBe(Number(d.readBigUInt64LE(0) % (1n << 18n)))
      }),
      { numRuns: 50 },
    )
  })

  it('gives Window V1_1 challenges that do not depend on the sector position, and V1 ones that do', () => {
    const r = postRandomness(new Uint8Array(32).fill(7))
    // 10 = StackedDrgWindow2KiBV1_1, 5 = StackedDrgWindow2KiBV1.
    expect(sectorChallenges(10, r, 42n, 0)).toEqual(sectorChallenges(10, r, 42n, 3))
    expect(sectorChallenges(5, r, 42n, 0)).toEqual(sectorChallenges(10, r, 42n, 0))
    expect(sectorChallenges(5, r, 42n, 3)).not.toEqual(sectorChallenges(5, r, 42n, 0))
    const expected = Array.from({ length: 10 }, (_, n) => leafChallenge(r, 42n, BigInt(30 + n), 64))
    expect(sectorChallenges(5, r, 42n, 3)).toEqual(expected)
  })

  it('gives a Winning PoSt 66 challenges at indices 0..65, all inside the sector', () => {
    const r = postRandomness(new Uint8Array(32).fill(9))
    const c = sectorChallenges(1, r, 5n, 0) // 1 = StackedDrgWinning8MiB
    expect(c).toHaveLength(66)
    expect(c).toEqual(Array.from({ length: 66 }, (_, n) => leafChallenge(r, 5n, BigInt(n), 2 ** 18)))
  })

  it('picks the winning sector as u64_LE(SHA-256(prover id ‖ randomness ‖ u64_LE(0))) mod eligible', () => {
    const prover = proverIdFromActorId(1000)
    const raw = new Uint8Array(32).fill(0xee)
    const d = createHash('sha256').update(prover).update(postRandomness(raw)).update(u64le(0n)).digest()
    expect(winningPoStSectorChallenge(0, prover, raw, 17)).toEqual([Number(d.readBigUInt64LE(0) % 17n)])
  })

  it('rejects a window proof type where a winning one is expected, and no eligible sectors', () => {
    const prover = proverIdFromActorId(1)
    expect(() => winningPoStSectorChallenge(10, prover, new Uint8Array(32), 3)).toThrow(expect.objectContaining({ code: 'E_PROOF_TYPE_INVALID' }))
    expect(() => winningPoStSectorChallenge(0, prover, new Uint8Array(32), 0)).toThrow(expect.objectContaining({ code: 'E_POST_SECTOR_COUNT' }))
    expect(() => sectorChallenges(15, new Uint8Array(32), 1n, 0)).toThrow(expect.objectContaining({ code: 'E_PROOF_TYPE_INVALID' }))
  })
})
