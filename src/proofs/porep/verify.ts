/**
 * Seal verification: decode the vanilla proof, re-derive the replica id and the challenges from the public
 * inputs, then for each challenged node check the three kinds of openings against CommD, comm_c and
 * comm_r_last, recompute every layer's label from the parents' columns, and check that the replica node is
 * the data node plus the key. CommR must be H(comm_c, comm_r_last).
 */
import { ProofMalformedError } from '../codec/errors.ts'
import { addNodes } from '../field/nodes.ts'
import { createStackedGraph, nodeParents } from '../graph/stacked-graph.ts'
import type { SealingKernels } from '../kernels/types.ts'
import { hash2, sha256TreeHasher, type TreeHasher } from '../merkle/hasher.ts'
import { equalBytes, verifyInclusion } from '../merkle/proof.ts'
import { porepChallenges } from '../sdr/challenges.ts'
import { labelFromParents } from '../sdr/label.ts'
import { replicaId as makeReplicaId } from '../sdr/replica-id.ts'
import { BASE_DEGREE, type SectorParams } from '../sector/params.ts'
import { porepId, sealProofParams } from '../sector/proof-types.ts'
import { checkBytes32, proverIdFromActorId } from '../sector/sector-id.ts'
import { type SectorTrees, sectorTrees } from './context.ts'
import { type ColumnOpening, type SealChallengeProof, type SealProof, decodeSealProof } from './proof.ts'
import { VALID, invalid, type VerifyResult } from './result.ts'
import type { SealVerifyInfo } from './types.ts'

/** Verifies a seal proof against its public inputs. */
export function verifySeal(info: SealVerifyInfo, options: { kernels?: SealingKernels } = {}): VerifyResult {
  for (const [what, v] of [['ticket', info.ticket], ['seed', info.seed], ['CommR', info.commR], ['CommD', info.commD]] as const) checkBytes32(what, v)
  const params = sealProofParams(info.proofType)
  let proof: SealProof
  try {
    proof = decodeSealProof(info.proof)
  } catch (err) {
    if (err instanceof ProofMalformedError) return invalid('E_PROOF_MALFORMED', err.message)
    throw err
  }
  if (proof.proofType !== info.proofType) return invalid('E_PROOF_TYPE_MISMATCH', `proof is for seal proof ${proof.proofType}, expected ${info.proofType}`)
  const proverId = info.proverId ? checkBytes32('prover id', info.proverId) : proverIdFromActorId(info.sectorId.miner)
  return verifySealProof(params, proof, { ...info, proverId }, sha256TreeHasher(options.kernels))
}

/** Verifies a decoded seal proof. */
export function verifySealProof(params: SectorParams, proof: SealProof, info: SealVerifyInfo & { proverId: Uint8Array }, hasher: TreeHasher): VerifyResult {
  if (!equalBytes(hash2(hasher, proof.commC, proof.commRLast), info.commR)) return invalid('E_COMM_R_MISMATCH', 'CommR is not H(comm_c, comm_r_last)')
  const pid = porepId(info.proofType)
  const replicaId = makeReplicaId({ proverId: info.proverId, sectorNumber: info.sectorId.number, ticket: info.ticket, commD: info.commD, porepId: pid })
  const challenges = porepChallenges(params, replicaId, info.seed)
  const trees = sectorTrees(params)
  const graph = createStackedGraph(params.nodes, pid)
  if (proof.partitions.length !== params.porepPartitions || proof.partitions.some((p) => p.length !== params.porepChallengesPerPartition)) {
    return invalid('E_PARTITION_COUNT_MISMATCH', `the proof has ${proof.partitions.length} partitions of [${proof.partitions.map((p) => p.length).join(', ')}] challenges, ${params.porepPartitions} × ${params.porepChallengesPerPartition} expected`)
  }
  // Every opened node must be the challenged one; checked for all before any opening is hashed, so a wrong
  // ticket, seed or CommD is reported as such (and cheaply) rather than as the first label that fails.
  for (const [k, partition] of challenges.entries()) {
    for (const [i, c] of partition.entries()) {
      const opened = proof.partitions[k]?.[i]?.challenge
      if (opened !== c) return invalid('E_CHALLENGE_MISMATCH', `partition ${k} challenge ${i} opens node ${opened}, the seed challenges node ${c}`)
    }
  }
  for (const [k, partition] of challenges.entries()) {
    for (const [i, c] of partition.entries()) {
      const opening = proof.partitions[k][i]
      const result = verifyChallenge(params, trees, hasher, proof, opening, Array.from(nodeParents(graph, c)), replicaId, info.commD)
      if (!result.valid) return result
    }
  }
  return VALID
}

function columnValid(trees: SectorTrees, hasher: TreeHasher, layers: number, node: number, col: ColumnOpening, commC: Uint8Array): boolean {
  const leaf = new Uint8Array(32)
  hasher.hashGroups(col.labels, layers, leaf)
  return verifyInclusion(trees.treeR, hasher, node, { leaf, path: col.treeCPath }, commC)
}

function verifyChallenge(params: SectorParams, trees: SectorTrees, hasher: TreeHasher, proof: SealProof, o: SealChallengeProof, parents: number[], replicaId: Uint8Array, commD: Uint8Array): VerifyResult {
  const c = o.challenge
  const { layers } = params
  if (!verifyInclusion(trees.treeD, hasher, c, o.treeD, commD)) return invalid('E_TREE_D_PROOF_INVALID', `tree_d opening of node ${c} does not lead to CommD`)
  if (!verifyInclusion(trees.treeR, hasher, c, o.treeRLast, proof.commRLast)) return invalid('E_TREE_R_PROOF_INVALID', `tree_r_last opening of node ${c} does not lead to comm_r_last`)
  const columns = [o.column, ...o.drgParents, ...o.expParents]
  const nodes = [c, ...parents]
  for (let j = 0; j < columns.length; j++) {
    if (!columnValid(trees, hasher, layers, nodes[j], columns[j], proof.commC)) return invalid('E_TREE_C_PROOF_INVALID', `column of node ${nodes[j]} does not lead to comm_c`)
  }
  const labelOf = (col: ColumnOpening, layer: number) => col.labels.subarray(32 * (layer - 1), 32 * layer)
  for (let layer = 1; layer <= layers; layer++) {
    const base = new Uint8Array(32 * BASE_DEGREE)
    o.drgParents.forEach((col, k) => base.set(labelOf(col, layer), 32 * k))
    let exp: Uint8Array | null = null
    if (layer > 1) {
      exp = new Uint8Array(32 * o.expParents.length)
      o.expParents.forEach((col, k) => exp!.set(labelOf(col, layer - 1), 32 * k))
    }
    const label = labelFromParents(replicaId, layer, c, base, exp)
    if (!equalBytes(label, labelOf(o.column, layer))) return invalid('E_LABEL_MISMATCH', `label of node ${c} in layer ${layer} does not follow from its parents`)
  }
  const replica = new Uint8Array(32)
  addNodes(o.treeD.leaf, labelOf(o.column, layers), replica)
  if (!equalBytes(replica, o.treeRLast.leaf)) return invalid('E_ENCODING_MISMATCH', `replica node ${c} is not data + key`)
  return VALID
}
