/**
 * Interactive PoRep challenges (storage-proofs-porep stacked/vanilla/challenges.rs `InteractiveChallenges`):
 * challenge i of partition k is 1 + (BigUint_LE(SHA-256(replica_id ‖ seed ‖ u32_LE(j))) mod (nodes − 1)) with
 * j = challengesPerPartition · k + i, so node 0, which has no parents, is never challenged.
 */
import { createHash } from 'node:crypto'
import type { SectorParams } from '../sector/params.ts'
import { checkBytes32 } from '../sector/sector-id.ts'

/** The challenged nodes of every partition. */
export function porepChallenges(params: SectorParams, replicaId: Uint8Array, seed: Uint8Array): number[][] {
  checkBytes32('seed', seed)
  const modulus = BigInt(params.nodes - 1)
  const j = new Uint8Array(4)
  const partitions: number[][] = []
  for (let k = 0; k < params.porepPartitions; k++) {
    const challenges: number[] = []
    for (let i = 0; i < params.porepChallengesPerPartition; i++) {
      new DataView(j.buffer).setUint32(0, params.porepChallengesPerPartition * k + i, true)
      const digest = createHash('sha256').update(replicaId).update(seed).update(j).digest()
      let value = 0n
      for (let b = 31; b >= 0; b--) value = (value << 8n) | BigInt(digest[b])
      challenges.push(Number(value % modulus) + 1)
    }
    partitions.push(challenges)
  }
  return partitions
}
