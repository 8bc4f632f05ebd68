/**
 * Unsealing (Lotus `UnsealPiece`, rust-fil-proofs `unseal_range`): recovers the unsealed sector from the
 * replica when no unsealed copy was kept. The key is the last SDR layer, regenerated from the replica id
 * (labels are recomputed layer by layer; a last-layer file still in the cache with the same replica id is
 * used instead). From `sealed/`: data = replica − key. From an updated sector (`update/`): data = (new −
 * sector key) · rho^−1, where the sector key is the sealed replica: read from `sealed/` while it is there,
 * otherwise rebuilt from the labels, which is possible because only CC sectors (sealed over zeros, so
 * replica = labels) are updated. The result must have the expected CommD (the sealed data's, or the
 * update's CommD_new) before it replaces `unsealed/<name>`.
 */
import { readWholeFile } from '../layout/atomic.ts'
import { readTAux } from '../layout/aux.ts'
import { createAtomicFile, type AtomicFile } from '../layout/atomic.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import type { SectorFile } from '../layout/fs.ts'
import { joinPath } from '../layout/fs.ts'
import { CACHE_FILES, layerFileName, type SectorStore } from '../layout/paths.ts'
import { TreeBuilder } from '../merkle/builder.ts'
import { equalBytes } from '../merkle/proof.ts'
import { contextGraph, fromHex, sealContext, toHex, type SealContext } from '../porep/context.ts'
import type { PhaseOptions, SectorRef } from '../porep/types.ts'
import { generateLabels } from '../sdr/labels.ts'
import { replicaId as makeReplicaId } from '../sdr/replica-id.ts'
import { checkBytes32, proverIdFromActorId } from '../sector/sector-id.ts'
import { decodeWithContext } from '../update/decode.ts'
import { chunkNodes, forEachChunk } from '../update/sector-files.ts'
import { UnsealMismatchError, UnsealSectorKeyRequiredError } from './errors.ts'
import { zeroPieceCommitment } from '../piece/zero-comm.ts'
import type { PaddedPieceSize } from '../piece/size.ts'

/** The sealing inputs that make the key; without them the cache's t_aux supplies the replica id and CommD. */
export interface UnsealInput {
  readonly ticket: Uint8Array
  /** CommD of the data the sector was sealed with. */
  readonly commD: Uint8Array
  /** Default: from the sector's miner id. */
  readonly proverId?: Uint8Array
}

/** Options of `unsealSector`. */
export interface UnsealOptions extends PhaseOptions {
  /** 'sealed' (default) recovers the sealed data; 'update' recovers the data of a replica update. */
  from?: 'sealed' | 'update'
  /** Where the unsealed sector is written (default `unsealed/<name>`). */
  dataPath?: string
  /**
   * Recompute the key from the labels even when it is at hand (the last layer in the cache; for updates,
   * the sector key in `sealed/`).
   */
  regenerate?: boolean
}

/** The key (last layer labels) of a sector: from the cache when it is still there, else recomputed. */
export async function sectorKeyLabels(store: SectorStore, ctx: SealContext, replicaId: Uint8Array, options: UnsealOptions): Promise<Uint8Array> {
  const last = joinPath(ctx.paths.cache, layerFileName(ctx.params.layers))
  const tAuxPath = joinPath(ctx.paths.cache, CACHE_FILES.tAux)
  if (!options.regenerate && store.fs.exists(last) && store.fs.exists(tAuxPath) && readTAux(store.fs, tAuxPath).replicaId === toHex(replicaId)) {
    const bytes = readWholeFile(store.fs, last)
    if (bytes.length === ctx.params.sectorSize) return bytes
  }
  return generateLabels(contextGraph(ctx), replicaId, ctx.params.layers, { kernels: ctx.kernels, signal: options.signal })
}

function sealInputs(store: SectorStore, ctx: SealContext, sector: SectorRef, input: UnsealInput | undefined): { replicaId: Uint8Array; commD: Uint8Array } {
  if (!input) {
    const tAux = readTAux(store.fs, joinPath(ctx.paths.cache, CACHE_FILES.tAux))
    return { replicaId: fromHex(tAux.replicaId), commD: fromHex(tAux.commD) }
  }
  const proverId = input.proverId ? checkBytes32('prover id', input.proverId) : proverIdFromActorId(sector.id.miner)
  const commD = checkBytes32('CommD', input.commD)
  return { replicaId: makeReplicaId({ proverId, sectorNumber: sector.id.number, ticket: input.ticket, commD, porepId: ctx.porepId }), commD }
}

/** Recovers the unsealed sector; returns the CommD it was checked against. */
export async function unsealSector(store: SectorStore, sector: SectorRef, input?: UnsealInput, options: UnsealOptions = {}): Promise<Uint8Array> {
  const ctx = sealContext(store, sector, options.kernels)
  const { replicaId, commD } = sealInputs(store, ctx, sector, input)
  if (options.from === 'update') {
    if (!options.regenerate && store.fs.exists(ctx.paths.sealed)) return decodeWithContext(store, ctx, options)
    if (!equalBytes(commD, zeroPieceCommitment(ctx.params.sectorSize as PaddedPieceSize))) throw new UnsealSectorKeyRequiredError(ctx.paths.sealed)
    const labels = await sectorKeyLabels(store, ctx, replicaId, options)
    return decodeWithContext(store, ctx, { ...options, key: (into, first) => into.set(labels.subarray(32 * first, 32 * first + into.length)) })
  }
  const key = await sectorKeyLabels(store, ctx, replicaId, options)
  const target = options.dataPath ?? ctx.paths.unsealed
  let replica: SectorFile | null = null
  let out: AtomicFile | null = null
  try {
    replica = store.fs.openRead(ctx.paths.sealed)
    if (replica.size() !== ctx.params.sectorSize) throw new SectorFileSizeError(ctx.paths.sealed, ctx.params.sectorSize, replica.size())
    out = createAtomicFile(store.fs, target)
    const tree = new TreeBuilder(ctx.trees.treeD, ctx.hasher, 0, null)
    const chunk = new Uint8Array(32 * chunkNodes(ctx))
    const [file, source] = [out.file, replica]
    await forEachChunk(ctx, options, (first) => {
      source.read(chunk, 32 * first)
      ctx.kernels.subNodes(chunk, key.subarray(32 * first, 32 * first + chunk.length), chunk)
      file.write(chunk, 32 * first)
      tree.push(chunk)
    })
    if (!equalBytes(tree.finish(), commD)) throw new UnsealMismatchError(ctx.paths.sealed)
    out.commit()
    out = null
    return commD
  } finally {
    replica?.close()
    out?.abort()
  }
}
