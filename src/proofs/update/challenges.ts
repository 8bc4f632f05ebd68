/**
 * Replica-update challenges (storage-proofs-update challenges.rs, notes §3.3): partition k's challenges
 * lie in the k-th contiguous chunk of the sector. Each digest genRandomness(comm_r_new, Fr(j)) gives
 * floor(254 / rb) challenges of rb = log2(nodes) − log2(partitions) random bits, read little-endian;
 * partition k uses digests k · digests_per_partition onwards and puts k in the top bits.
 */
import type { SectorParams } from '../sector/params.ts'
import { frFromBytes } from '../field/fr.ts'
import { frOfInteger, genRandomness } from './randomness.ts'

/** Usable bits of one digest (Fr::CAPACITY). */
const DIGEST_BITS = 254

/** The challenged nodes of partition `k`. */
export function updateChallenges(params: SectorParams, commRNew: Uint8Array, k: number): number[] {
  const partitionBits = Math.log2(params.updatePartitions)
  const randomBits = params.nodesLog2 - partitionBits
  const perDigest = Math.floor(DIGEST_BITS / randomBits)
  const count = params.updateChallengesPerPartition
  const digestsPerPartition = Math.ceil(count / perDigest)
  const mask = (1n << BigInt(randomBits)) - 1n
  const out: number[] = []
  let digest = 0n
  for (let i = 0; i < count; i++) {
    if (i % perDigest === 0) digest = frFromBytes(genRandomness(commRNew, frOfInteger(k * digestsPerPartition + Math.floor(i / perDigest))))
    const bits = Number((digest >> BigInt((i % perDigest) * randomBits)) & mask)
    out.push(bits + k * 2 ** randomBits)
  }
  return out
}
