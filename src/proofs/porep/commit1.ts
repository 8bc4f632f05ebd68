/**
 * Commit1: the vanilla seal proof. The challenges come from the interactive seed; for each challenged node
 * the prover opens tree_d (data), tree_r_last (replica, lower rows rebuilt from the sealed file) and the
 * columns of the node and its 14 parents in tree_c. The output carries the public inputs too, so Commit2
 * can check the proof before handing it out (Lotus `SealCommit1` → `Commit1Out`).
 */
import { ByteReader, ByteWriter, tagBytes } from '../codec/bytes.ts'
import { createStackedGraph, nodeParents } from '../graph/stacked-graph.ts'
import { readPAux, readTAux } from '../layout/aux.ts'
import type { SectorFile } from '../layout/fs.ts'
import { joinPath } from '../layout/fs.ts'
import { CACHE_FILES, layerFileName, type SectorStore } from '../layout/paths.ts'
import { hash2 } from '../merkle/hasher.ts'
import { equalBytes } from '../merkle/proof.ts'
import { fileLeafReader, openTreeFile, type TreeFile } from '../merkle/tree-file.ts'
import { porepChallenges } from '../sdr/challenges.ts'
import { replicaId as makeReplicaId } from '../sdr/replica-id.ts'
import { checkBytes32, createSectorId, proverIdFromActorId } from '../sector/sector-id.ts'
import { sealProofParams, type RegisteredSealProof } from '../sector/proof-types.ts'
import { sealContext, toHex } from './context.ts'
import { CommRMismatchError, ReplicaIdMismatchError } from './errors.ts'
import { type ColumnOpening, type SealChallengeProof, encodeSealProof } from './proof.ts'
import type { PhaseOptions, SealVerifyInfo, SectorRef } from './types.ts'

/** The public inputs Commit1 proves against. */
export interface Commit1Input {
  ticket: Uint8Array
  seed: Uint8Array
  commR: Uint8Array
  commD: Uint8Array
  /** Default: from the sector's miner id. */
  proverId?: Uint8Array
}

/** Runs Commit1; returns the Commit1 output bytes for Commit2. */
export async function sealCommit1(store: SectorStore, sector: SectorRef, input: Commit1Input, options: PhaseOptions = {}): Promise<Uint8Array> {
  const ctx = sealContext(store, sector, options.kernels)
  const { fs } = store
  for (const [what, v] of [['ticket', input.ticket], ['seed', input.seed], ['CommR', input.commR], ['CommD', input.commD]] as const) checkBytes32(what, v)
  const proverId = input.proverId ? checkBytes32('prover id', input.proverId) : proverIdFromActorId(sector.id.miner)
  const tAux = readTAux(fs, joinPath(ctx.paths.cache, CACHE_FILES.tAux))
  const replicaId = makeReplicaId({ proverId, sectorNumber: sector.id.number, ticket: input.ticket, commD: input.commD, porepId: ctx.porepId })
  if (tAux.replicaId !== toHex(replicaId)) throw new ReplicaIdMismatchError('the ticket and CommD')
  const pAux = readPAux(fs, joinPath(ctx.paths.cache, CACHE_FILES.pAux))
  if (!equalBytes(hash2(ctx.hasher, pAux.commC, pAux.commRLast), input.commR)) throw new CommRMismatchError(ctx.paths.cache)

  const graph = createStackedGraph(ctx.params.nodes, ctx.porepId)
  const opened: Array<SectorFile | TreeFile> = []
  try {
    const layers: SectorFile[] = []
    for (let l = 1; l <= ctx.params.layers; l++) opened.push(layers[layers.length] = fs.openRead(joinPath(ctx.paths.cache, layerFileName(l))))
    const sealed = fs.openRead(ctx.paths.sealed)
    opened.push(sealed)
    const treeD = openTreeFile(fs, joinPath(ctx.paths.cache, CACHE_FILES.treeD), ctx.trees.treeD, 0, ctx.hasher, null)
    opened.push(treeD)
    const treeC = openTreeFile(fs, joinPath(ctx.paths.cache, CACHE_FILES.treeC), ctx.trees.treeR, 0, ctx.hasher, null)
    opened.push(treeC)
    const treeR = openTreeFile(fs, joinPath(ctx.paths.cache, CACHE_FILES.treeRLast), ctx.trees.treeR, tAux.treeRLastStoreFrom, ctx.hasher, fileLeafReader(sealed))
    opened.push(treeR)

    const column = (node: number): ColumnOpening => {
      const labels = new Uint8Array(32 * layers.length)
      layers.forEach((f, l) => f.read(labels.subarray(32 * l, 32 * l + 32), 32 * node))
      return { labels, treeCPath: treeC.proof(node).path }
    }
    const partitions = porepChallenges(ctx.params, replicaId, input.seed).map((challenges) =>
      challenges.map((c): SealChallengeProof => {
        options.signal?.throwIfAborted()
        const parents = Array.from(nodeParents(graph, c))
        return {
          challenge: c,
          treeD: treeD.proof(c),
          treeRLast: treeR.proof(c),
          column: column(c),
          drgParents: parents.slice(0, 6).map(column),
          expParents: parents.slice(6).map(column),
        }
      }),
    )
    const proof = encodeSealProof({ proofType: sector.proofType, commC: pAux.commC, commRLast: pAux.commRLast, partitions })
    return encodeCommit1Output({ proofType: sector.proofType, sectorId: sector.id, proverId, ...input, proof })
  } finally {
    for (const f of opened) f.close()
  }
}

const TAG = 'PSC1'

/** Commit1 output bytes: public inputs then the vanilla proof. */
export function encodeCommit1Output(info: SealVerifyInfo & { proverId: Uint8Array }): Uint8Array {
  return new ByteWriter()
    .bytes(tagBytes(TAG))
    .u8(1)
    .u8(info.proofType)
    .u64(info.sectorId.miner)
    .u64(info.sectorId.number)
    .bytes(info.proverId)
    .bytes(info.ticket)
    .bytes(info.seed)
    .bytes(info.commR)
    .bytes(info.commD)
    .u32(info.proof.length)
    .bytes(info.proof)
    .finish()
}

/** Decodes Commit1 output bytes; throws `E_PROOF_MALFORMED`. */
export function decodeCommit1Output(bytes: Uint8Array): SealVerifyInfo & { proverId: Uint8Array } {
  const r = new ByteReader(bytes, 'Commit1 output')
  r.magic(TAG)
  r.check(r.u8() === 1, 'unknown version')
  const proofType = r.u8()
  r.check(proofType >= 5 && proofType <= 9, `unknown seal proof ${proofType}`)
  sealProofParams(proofType)
  const sectorId = createSectorId(r.u64(), r.u64())
  const [proverId, ticket, seed, commR, commD] = [r.bytes(32), r.bytes(32), r.bytes(32), r.bytes(32), r.bytes(32)]
  const proof = r.bytes(r.u32())
  r.end()
  return { proofType: proofType as RegisteredSealProof, sectorId, proverId, ticket, seed, commR, commD, proof }
}
