/**
 * Replica-update verification (storage-proofs-update vanilla.rs `verify`, notes §3.4). Per partition k:
 * H(comm_c, comm_r_last_old) = CommR_old and H(comm_c, comm_r_last_new) = CommR_new; for every challenge c
 * the verifier derives itself, the three openings lead to their roots at index c, the tree_d path passes
 * through the partition's apex leaf (c >> apex height), the apex leaves hash to the partition's node on the
 * path, and new = old + data · rho(c). `verifyReplicaUpdate` wants exactly one proof per partition.
 */
import { ProofMalformedError } from '../codec/errors.ts'
import { frAdd, frFromBytes, frMul, frToBytes } from '../field/fr.ts'
import { resolveKernels } from '../kernels/backend.ts'
import type { SealingKernels } from '../kernels/types.ts'
import { hash2, sha256TreeHasher, type TreeHasher } from '../merkle/hasher.ts'
import { buildTreeLevels } from '../merkle/builder.ts'
import { binaryShape } from '../merkle/shape.ts'
import { equalBytes, verifyInclusion } from '../merkle/proof.ts'
import { sectorTrees } from '../porep/context.ts'
import { VALID, invalid, type VerifyResult } from '../porep/result.ts'
import { sectorParams, type SectorParams } from '../sector/params.ts'
import { sectorSizeOfUpdateProof } from '../sector/proof-types.ts'
import { checkBytes32 } from '../sector/sector-id.ts'
import { updateChallenges } from './challenges.ts'
import { decodeUpdatePartitionProof, decodeUpdateProof, type UpdatePartitionProof } from './proof.ts'
import { rhoBucket, updatePhi, updateRho } from './randomness.ts'
import type { UpdateCommitments, UpdateVerifyInfo } from './types.ts'

/** Verifies a whole update proof (all partitions). */
export function verifyReplicaUpdate(info: UpdateVerifyInfo, options: { kernels?: SealingKernels } = {}): VerifyResult {
  const params = sectorParams(sectorSizeOfUpdateProof(info.updateProof))
  let decoded: { updateProof: number; partitions: Uint8Array[] }
  try {
    decoded = decodeUpdateProof(info.proof)
  } catch (err) {
    if (err instanceof ProofMalformedError) return invalid('E_PROOF_MALFORMED', err.message)
    throw err
  }
  if (decoded.updateProof !== info.updateProof) return invalid('E_PROOF_TYPE_MISMATCH', `proof is for update proof ${decoded.updateProof}, expected ${info.updateProof}`)
  if (decoded.partitions.length !== params.updatePartitions) return invalid('E_PARTITION_COUNT_MISMATCH', `${decoded.partitions.length} partition proofs, the sector size has ${params.updatePartitions}`)
  for (const [k, bytes] of decoded.partitions.entries()) {
    const result = verifyUpdatePartition(info.updateProof, k, bytes, info, options)
    if (!result.valid) return result
  }
  return VALID
}

/** Verifies the vanilla proof of partition `k`. */
export function verifyUpdatePartition(updateProof: number, k: number, bytes: Uint8Array, inputs: UpdateCommitments, options: { kernels?: SealingKernels } = {}): VerifyResult {
  for (const [what, v] of [['CommR_old', inputs.commROld], ['CommR_new', inputs.commRNew], ['CommD_new', inputs.commDNew]] as const) checkBytes32(what, v)
  const params = sectorParams(sectorSizeOfUpdateProof(updateProof))
  let proof: UpdatePartitionProof
  try {
    proof = decodeUpdatePartitionProof(bytes)
  } catch (err) {
    if (err instanceof ProofMalformedError) return invalid('E_PROOF_MALFORMED', err.message)
    throw err
  }
  if (proof.updateProof !== updateProof) return invalid('E_PROOF_TYPE_MISMATCH', `partition ${k} is for update proof ${proof.updateProof}, expected ${updateProof}`)
  if (proof.partition !== k) return invalid('E_PROOF_MALFORMED', `proof ${k} says it is partition ${proof.partition}`)
  const hasher = sha256TreeHasher(resolveKernels(options.kernels))
  if (!equalBytes(hash2(hasher, proof.commC, proof.commRLastOld), inputs.commROld)) return invalid('E_COMM_R_OLD_MISMATCH', 'H(comm_c, comm_r_last_old) is not CommR_old')
  if (!equalBytes(hash2(hasher, proof.commC, proof.commRLastNew), inputs.commRNew)) return invalid('E_COMM_R_NEW_MISMATCH', 'H(comm_c, comm_r_last_new) is not CommR_new')
  return verifyChallenges(params, hasher, k, proof, inputs)
}

/** The node at `height` on a binary path from `leaf` at `index`. */
function binaryPathNode(hasher: TreeHasher, leaf: Uint8Array, path: Uint8Array, index: number, height: number): Uint8Array {
  let node = leaf
  for (let level = 0; level < height; level++) {
    const sibling = path.subarray(32 * level, 32 * level + 32)
    node = Math.floor(index / 2 ** level) % 2 === 0 ? hash2(hasher, node, sibling) : hash2(hasher, sibling, node)
  }
  return node
}

function verifyChallenges(params: SectorParams, hasher: TreeHasher, k: number, proof: UpdatePartitionProof, inputs: UpdateCommitments): VerifyResult {
  const trees = sectorTrees(params)
  const apexHeight = Math.log2(params.updateApexLeaves)
  const partitionHeight = params.nodesLog2 - Math.log2(params.updatePartitions)
  const apexLeavesHeight = partitionHeight - apexHeight
  const apexLevels = buildTreeLevels(proof.apexLeaves, binaryShape(params.updateApexLeaves), hasher)
  const apexRoot = apexLevels[apexLevels.length - 1]
  const phi = updatePhi(inputs.commDNew, inputs.commROld)
  for (const [i, c] of updateChallenges(params, inputs.commRNew, k).entries()) {
    const o = proof.challenges[i]
    if (!verifyInclusion(trees.treeR, hasher, c, o.rOld, proof.commRLastOld)) return invalid('E_TREE_R_OLD_PROOF_INVALID', `sector key opening of node ${c} does not lead to comm_r_last_old`)
    if (!verifyInclusion(trees.treeD, hasher, c, o.dNew, inputs.commDNew)) return invalid('E_TREE_D_PROOF_INVALID', `new data opening of node ${c} does not lead to CommD_new`)
    if (!verifyInclusion(trees.treeR, hasher, c, o.rNew, proof.commRLastNew)) return invalid('E_TREE_R_PROOF_INVALID', `new replica opening of node ${c} does not lead to comm_r_last_new`)
    const apexIndex = Math.floor(c / 2 ** apexLeavesHeight) % params.updateApexLeaves
    const apexLeaf = proof.apexLeaves.subarray(32 * apexIndex, 32 * apexIndex + 32)
    if (!equalBytes(binaryPathNode(hasher, o.dNew.leaf, o.dNew.path, c, apexLeavesHeight), apexLeaf)) return invalid('E_APEX_MISMATCH', `tree_d path of node ${c} does not pass through apex leaf ${apexIndex}`)
    if (!equalBytes(binaryPathNode(hasher, o.dNew.leaf, o.dNew.path, c, partitionHeight), apexRoot)) return invalid('E_APEX_MISMATCH', `the apex leaves of partition ${k} do not hash to its tree_d node`)
    const rho = frFromBytes(updateRho(phi, rhoBucket(params, c)))
    const expected = frToBytes(frAdd(frFromBytes(o.rOld.leaf), frMul(frFromBytes(o.dNew.leaf), rho)))
    if (!equalBytes(expected, o.rNew.leaf)) return invalid('E_ENCODING_MISMATCH', `new replica node ${c} is not key + data · rho`)
  }
  return VALID
}
