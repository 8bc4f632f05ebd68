/**
 * The fallback PoSt challenges (rust-fil-proofs storage-proofs-post fallback/vanilla.rs and utils.rs, notes
 * §2.6–2.7). Chain randomness has its top two bits cleared first, as Lotus does (`randomness[31] &= 0x3f`).
 *
 *  - Winning sector choice: u64_LE(SHA-256(prover_id ‖ randomness ‖ u64_LE(n))[0..8]) mod eligible sectors.
 *  - Leaf challenge: u64_LE(SHA-256(randomness ‖ u64_LE(sector_number) ‖ u64_LE(c_idx))[0..8]) mod nodes,
 *    where c_idx = n for Window V1_1 proof types (FIP-0061: a sector's challenges do not depend on where it
 *    sits) and sector_index · challenge_count + n for the older Window V1 types. Winning PoSt proves one
 *    sector with c_idx 0..65, which both rules give.
 */
import { createHash } from 'node:crypto'
import { ProofTypeInvalidError } from '../sector/errors.ts'
import { WINDOW_POST_CHALLENGE_COUNT, WINNING_POST_CHALLENGE_COUNT, WINNING_POST_SECTOR_COUNT } from '../sector/params.ts'
import { sectorSizeOfPoStProof } from '../sector/proof-types.ts'
import { checkBytes32, toU64, u64le } from '../sector/sector-id.ts'
import { PoStSectorCountError } from './errors.ts'

/** Which PoSt a registered proof id is. */
export type PoStKind = 'winning' | 'window-v1' | 'window-v1_1'

/** The kind of a registered PoSt proof; throws `E_PROOF_TYPE_INVALID` outside 0..14. */
export function postKind(postProof: number): PoStKind {
  sectorSizeOfPoStProof(postProof)
  return postProof < 5 ? 'winning' : postProof < 10 ? 'window-v1' : 'window-v1_1'
}

/** Throws unless `postProof` is of `kind` ('window' takes both window versions). */
export function checkPoStKind(postProof: number, kind: 'winning' | 'window'): PoStKind {
  const k = postKind(postProof)
  if ((kind === 'winning') !== (k === 'winning')) throw new ProofTypeInvalidError('post', postProof)
  return k
}

/** Leaf challenges per sector of a PoSt kind. */
export function challengesPerSector(kind: PoStKind): number {
  return kind === 'winning' ? WINNING_POST_CHALLENGE_COUNT : WINDOW_POST_CHALLENGE_COUNT
}

/** A copy of chain randomness with the top two bits cleared, so it is a valid field element. */
export function postRandomness(randomness: Uint8Array): Uint8Array {
  const r = checkBytes32('PoSt randomness', randomness).slice()
  r[31] &= 0x3f
  return r
}

function u64OfDigest(parts: Uint8Array[]): bigint {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  const d = h.digest()
  return d.readBigUInt64LE(0)
}

/**
 * The indices (into the miner's eligible sectors, in order) that a Winning PoSt must prove
 * (`generate_winning_post_sector_challenge`).
 */
export function winningPoStSectorChallenge(postProof: number, proverId: Uint8Array, randomness: Uint8Array, eligibleSectors: number): number[] {
  checkPoStKind(postProof, 'winning')
  checkBytes32('prover id', proverId)
  if (!Number.isSafeInteger(eligibleSectors) || eligibleSectors < 1) throw new PoStSectorCountError('a Winning PoSt sector challenge', 'at least 1 eligible', eligibleSectors)
  const r = postRandomness(randomness)
  const out: number[] = []
  for (let n = 0; n < WINNING_POST_SECTOR_COUNT; n++) {
    out.push(Number(u64OfDigest([proverId, r, u64le(BigInt(n))]) % BigInt(eligibleSectors)))
  }
  return out
}

/** One leaf challenge: u64_LE(SHA-256(randomness ‖ u64_LE(sector) ‖ u64_LE(cIdx))[0..8]) mod nodes. */
export function leafChallenge(randomness: Uint8Array, sectorNumber: bigint, challengeIndex: bigint, nodes: number): number {
  return Number(u64OfDigest([randomness, u64le(sectorNumber), u64le(challengeIndex)]) % BigInt(nodes))
}

/**
 * The challenged leaves of one sector. `sectorIndex` is the sector's position among all sectors proven
 * (only Window V1 proofs use it). `randomness` must already have its top bits cleared (`postRandomness`).
 */
export function sectorChallenges(postProof: number, randomness: Uint8Array, sectorNumber: number | bigint, sectorIndex: number): number[] {
  const kind = postKind(postProof)
  const nodes = sectorSizeOfPoStProof(postProof) / 32
  const count = challengesPerSector(kind)
  const sector = toU64('sector number', sectorNumber)
  const base = kind === 'window-v1' ? BigInt(sectorIndex) * BigInt(count) : 0n
  const out: number[] = []
  for (let n = 0; n < count; n++) out.push(leafChallenge(randomness, sector, base + BigInt(n), nodes))
  return out
}
