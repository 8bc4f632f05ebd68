/**
 * PoSt verification (storage-proofs-post fallback/vanilla.rs `verify_all_partitions`): for each partition
 * proof, every sector's H(comm_c, comm_r_last) must be its on-chain CommR and every inclusion proof must lead
 * from the leaf the verifier derives itself to comm_r_last with a path of the sector size's length. The
 * number of partitions follows from the number of sectors; padding entries must repeat the last sector.
 */
import { ProofMalformedError } from '../codec/errors.ts'
import { resolveKernels } from '../kernels/backend.ts'
import type { SealingKernels } from '../kernels/types.ts'
import { hash2, sha256TreeHasher, type TreeHasher } from '../merkle/hasher.ts'
import { equalBytes, verifyInclusion } from '../merkle/proof.ts'
import type { TreeShape } from '../merkle/shape.ts'
import { sectorTrees } from '../porep/context.ts'
import { VALID, invalid, type VerifyResult } from '../porep/result.ts'
import { sectorParams } from '../sector/params.ts'
import { sectorSizeOfPoStProof } from '../sector/proof-types.ts'
import { checkBytes32, toU64 } from '../sector/sector-id.ts'
import { checkPoStKind, postRandomness, sectorChallenges } from './challenges.ts'
import { PoStSectorCountError } from './errors.ts'
import { decodePartitionPoStProof, encodePartitionPoStProof, type PartitionPoStProof, type SectorPoStProof } from './proof.ts'
import type { PoStVerifyInput } from './types.ts'

/** Verifies a Window PoSt (all its partition proofs) against the challenged sectors' CommRs. */
export function verifyWindowPoSt(input: PoStVerifyInput, options: { kernels?: SealingKernels } = {}): VerifyResult {
  checkPoStKind(input.postProof, 'window')
  return verifyPoSt(input, sectorParams(sectorSizeOfPoStProof(input.postProof)).windowPostSectorsPerPartition, options)
}

/** Verifies a Winning PoSt (one sector) against its CommR. */
export function verifyWinningPoSt(input: PoStVerifyInput, options: { kernels?: SealingKernels } = {}): VerifyResult {
  checkPoStKind(input.postProof, 'winning')
  if (input.sectors.length !== 1) throw new PoStSectorCountError('a Winning PoSt', '1', input.sectors.length)
  return verifyPoSt(input, 1, options)
}

function verifyPoSt(input: PoStVerifyInput, perPartition: number, options: { kernels?: SealingKernels }): VerifyResult {
  if (input.sectors.length === 0) throw new PoStSectorCountError('a PoSt verification', 'at least 1', 0)
  const sectors = input.sectors.map((s) => ({ number: toU64('sector number', s.sectorNumber), commR: checkBytes32('CommR', s.commR) }))
  const randomness = postRandomness(input.randomness)
  const shape = sectorTrees(sectorParams(sectorSizeOfPoStProof(input.postProof))).treeR
  const hasher = sha256TreeHasher(resolveKernels(options.kernels))
  const partitions = Math.ceil(sectors.length / perPartition)
  if (input.proofs.length !== partitions) return invalid('E_PARTITION_COUNT_MISMATCH', `${sectors.length} sectors make ${partitions} partitions, got ${input.proofs.length} proofs`)
  for (let k = 0; k < partitions; k++) {
    const { postProof, proofBytes } = input.proofs[k]
    if (postProof !== input.postProof) return invalid('E_PROOF_TYPE_MISMATCH', `partition ${k} is a proof of type ${postProof}, expected ${input.postProof}`)
    let proof: PartitionPoStProof
    try {
      proof = decodePartitionPoStProof(proofBytes)
    } catch (err) {
      if (err instanceof ProofMalformedError) return invalid('E_PROOF_MALFORMED', err.message)
      throw err
    }
    if (proof.postProof !== input.postProof) return invalid('E_PROOF_TYPE_MISMATCH', `partition ${k} encodes PoSt proof ${proof.postProof}, expected ${input.postProof}`)
    if (proof.partition !== k) return invalid('E_PROOF_MALFORMED', `proof ${k} says it is partition ${proof.partition}`)
    if (proof.sectors.length !== perPartition) return invalid('E_SECTOR_COUNT_MISMATCH', `partition ${k} proves ${proof.sectors.length} sectors, the proof type takes ${perPartition}`)
    const real = Math.min(perPartition, sectors.length - k * perPartition)
    for (let j = 0; j < perPartition; j++) {
      const s = proof.sectors[j]
      if (j >= real) {
        if (!sameSectorProof(s, proof.sectors[real - 1])) return invalid('E_SECTOR_MISMATCH', `padding entry ${j} of partition ${k} does not repeat the last sector`)
        continue
      }
      const index = k * perPartition + j
      const result = verifySector(input.postProof, randomness, shape, hasher, sectors[index], index, s)
      if (!result.valid) return result
    }
  }
  return VALID
}

function verifySector(postProof: number, randomness: Uint8Array, shape: TreeShape, hasher: TreeHasher, sector: { number: bigint; commR: Uint8Array }, index: number, s: SectorPoStProof): VerifyResult {
  if (s.sectorNumber !== sector.number) return invalid('E_SECTOR_MISMATCH', `proof ${index} is for sector ${s.sectorNumber}, expected sector ${sector.number}`)
  if (!equalBytes(hash2(hasher, s.commC, s.commRLast), sector.commR)) return invalid('E_COMM_R_MISMATCH', `sector ${sector.number}: H(comm_c, comm_r_last) is not its CommR`)
  const challenges = sectorChallenges(postProof, randomness, sector.number, index)
  for (let i = 0; i < challenges.length; i++) {
    if (!verifyInclusion(shape, hasher, challenges[i], s.inclusionProofs[i], s.commRLast)) {
      return invalid('E_TREE_R_PROOF_INVALID', `sector ${sector.number}: the opening of challenged leaf ${challenges[i]} does not lead to comm_r_last`)
    }
  }
  return VALID
}

function sameSectorProof(a: SectorPoStProof, b: SectorPoStProof): boolean {
  const enc = (s: SectorPoStProof) => encodePartitionPoStProof({ postProof: 0, partition: 0, sectors: [s] })
  return equalBytes(enc(a), enc(b))
}
