/**
 * Update proofs as Lotus splits them: `proveReplicaUpdate1` opens, per partition, the challenged nodes of
 * the sector key (`sealed/` + `cache/`), the new data (tree_d in `update-cache/`) and the new replica
 * (`update/` + `update-cache/`), returning one vanilla proof per partition; `proveReplicaUpdate2` checks
 * them and joins them into the final proof (SNARK compression is future work). The public inputs must be
 * the ones recorded in the caches.
 */
import { joinPath } from '../layout/fs.ts'
import type { SectorFile } from '../layout/fs.ts'
import { CACHE_FILES, type SectorStore } from '../layout/paths.ts'
import { equalBytes } from '../merkle/proof.ts'
import { fileLeafReader, openTreeFile, type TreeFile } from '../merkle/tree-file.ts'
import { assertValid } from '../porep/result.ts'
import type { PhaseOptions, SectorRef } from '../porep/types.ts'
import { sealProofParams, updateProofOf } from '../sector/proof-types.ts'
import { checkBytes32 } from '../sector/sector-id.ts'
import { updateChallenges } from './challenges.ts'
import { UpdateInputsMismatchError, UpdatePartitionCountError } from './errors.ts'
import { encodeUpdatePartitionProof, encodeUpdateProof, type UpdateChallengeProof } from './proof.ts'
import { readUpdateRecord, updateContext } from './sector-files.ts'
import type { UpdateCommitments } from './types.ts'
import { verifyUpdatePartition } from './verify.ts'
import { yieldToEventLoop } from '../sdr/yield.ts'

/** The vanilla proofs of every partition of the sector's update. */
export async function proveReplicaUpdate1(store: SectorStore, sector: SectorRef, inputs: UpdateCommitments, options: PhaseOptions = {}): Promise<Uint8Array[]> {
  for (const [what, v] of [['CommR_old', inputs.commROld], ['CommR_new', inputs.commRNew], ['CommD_new', inputs.commDNew]] as const) checkBytes32(what, v)
  const ctx = updateContext(store, sector, options)
  const record = readUpdateRecord(store, ctx)
  if (!equalBytes(ctx.commROld, inputs.commROld) || !equalBytes(record.commROld, inputs.commROld)) throw new UpdateInputsMismatchError('CommR_old')
  if (!equalBytes(record.commRNew, inputs.commRNew)) throw new UpdateInputsMismatchError('CommR_new')
  if (!equalBytes(record.commDNew, inputs.commDNew)) throw new UpdateInputsMismatchError('CommD_new')
  const { fs } = store
  const { params, trees } = ctx
  const updateProof = updateProofOf(sector.proofType)
  const opened: Array<SectorFile | TreeFile> = []
  const open = <T extends SectorFile | TreeFile>(f: T): T => (opened.push(f), f)
  try {
    const key = open(fs.openRead(ctx.paths.sealed))
    const replica = open(fs.openRead(ctx.paths.update))
    const treeROld = open(openTreeFile(fs, joinPath(ctx.paths.cache, CACHE_FILES.treeRLast), trees.treeR, trees.treeRLastStoreFrom, ctx.hasher, fileLeafReader(key)))
    const treeRNew = open(openTreeFile(fs, joinPath(ctx.paths.updateCache, CACHE_FILES.treeRLast), trees.treeR, trees.treeRLastStoreFrom, ctx.hasher, fileLeafReader(replica)))
    const treeD = open(openTreeFile(fs, joinPath(ctx.paths.updateCache, CACHE_FILES.treeD), trees.treeD, 0, ctx.hasher, null))
    const apexLeavesLevel = params.nodesLog2 - Math.log2(params.updatePartitions) - Math.log2(params.updateApexLeaves)
    const out: Uint8Array[] = []
    for (let k = 0; k < params.updatePartitions; k++) {
      options.signal?.throwIfAborted()
      const challenges = updateChallenges(params, inputs.commRNew, k).map(
        (c): UpdateChallengeProof => ({ rOld: treeROld.proof(c), dNew: treeD.proof(c), rNew: treeRNew.proof(c) }),
      )
      const bytes = encodeUpdatePartitionProof({
        updateProof,
        partition: k,
        commC: ctx.oldAux.commC,
        commRLastOld: ctx.oldAux.commRLast,
        commRLastNew: record.pAux.commRLast,
        apexLeaves: treeD.readNodes(apexLeavesLevel, k * params.updateApexLeaves, params.updateApexLeaves),
        challenges,
      })
      out.push(bytes)
      options.onProgress?.(k + 1, params.updatePartitions)
      await yieldToEventLoop()
    }
    return out
  } finally {
    for (const f of opened) f.close()
  }
}

/** Checks every partition proof and joins them into the update proof; throws `E_PROOF_INVALID` when one fails. */
export function proveReplicaUpdate2(sector: SectorRef, inputs: UpdateCommitments, partitions: readonly Uint8Array[], options: PhaseOptions = {}): Uint8Array {
  const updateProof = updateProofOf(sector.proofType)
  const proof = encodeUpdateProof(updateProof, partitions)
  const expected = sealProofParams(sector.proofType).updatePartitions
  if (partitions.length !== expected) throw new UpdatePartitionCountError(expected, partitions.length)
  for (const [k, p] of partitions.entries()) assertValid(verifyUpdatePartition(updateProof, k, p, inputs, options))
  return proof
}
