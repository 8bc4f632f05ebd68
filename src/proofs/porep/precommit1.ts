/**
 * PreCommit1: tree_d and CommD over the unsealed sector, the replica id, and the SDR labels of every layer
 * (the expensive part: layers × nodes labels of 20 SHA-256 compressions each). Writes cache/<name>/:
 * `sc-02-data-tree-d.dat`, `t_aux` (before the layers, so a re-run knows whose layers it finds) and
 * `sc-02-data-layer-<L>.dat`. Each file is written atomically; a re-run after a crash keeps complete layer
 * files of the same replica id and recomputes the rest.
 */
import { generateUnsealedCid } from '../commd/commd.ts'
import { contextGraph, sealContext, toHex, CHUNK_NODES, type SealContext } from './context.ts'
import { readWholeFile, withAtomicFile, writeFileAtomic } from '../layout/atomic.ts'
import { readTAux, writeTAux } from '../layout/aux.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import { joinPath } from '../layout/fs.ts'
import { CACHE_FILES, layerFileName, type SectorStore } from '../layout/paths.ts'
import { TreeBuilder } from '../merkle/builder.ts'
import { treeFileSink } from '../merkle/tree-file.ts'
import { rootFromPieceCidV1 } from '../piece/cid.ts'
import { generateLabels } from '../sdr/labels.ts'
import { replicaId as makeReplicaId } from '../sdr/replica-id.ts'
import { checkBytes32, proverIdFromActorId } from '../sector/sector-id.ts'
import { CommDMismatchError, UnsealedDataInvalidError } from './errors.ts'
import type { PreCommit1Options, PreCommit1Output, SectorRef } from './types.ts'

/** Builds tree_d from the unsealed file into the cache; returns CommD. */
function buildTreeD(store: SectorStore, ctx: SealContext): Uint8Array {
  const { fs } = store
  const size = ctx.params.sectorSize
  const input = fs.openRead(ctx.paths.unsealed)
  try {
    if (input.size() !== size) throw new SectorFileSizeError(ctx.paths.unsealed, size, input.size())
    return withAtomicFile(fs, joinPath(ctx.paths.cache, CACHE_FILES.treeD), (file) => {
      const builder = new TreeBuilder(ctx.trees.treeD, ctx.hasher, 0, treeFileSink(file, ctx.trees.treeD, 0))
      const chunk = new Uint8Array(32 * Math.min(CHUNK_NODES, ctx.params.nodes))
      for (let at = 0; at < size; at += chunk.length) {
        input.read(chunk, at)
        for (let i = 31; i < chunk.length; i += 32) if (chunk[i] & 0xc0) throw new UnsealedDataInvalidError((at + i - 31) / 32)
        builder.push(chunk)
      }
      return builder.finish()
    })
  } finally {
    input.close()
  }
}

/** Runs PreCommit1 for `sector` with `ticket`; the unsealed file must hold the sector's padded data. */
export async function sealPreCommit1(store: SectorStore, sector: SectorRef, ticket: Uint8Array, options: PreCommit1Options = {}): Promise<PreCommit1Output> {
  checkBytes32('ticket', ticket)
  const ctx = sealContext(store, sector, options.kernels)
  const { fs } = store
  const proverId = options.proverId ? checkBytes32('prover id', options.proverId) : proverIdFromActorId(sector.id.miner)
  fs.mkdirp(ctx.paths.cache)

  const commD = buildTreeD(store, ctx)
  if (options.pieces) {
    const expected = rootFromPieceCidV1(generateUnsealedCid(ctx.params.sectorSize, options.pieces))
    if (toHex(expected) !== toHex(commD)) throw new CommDMismatchError(toHex(expected), toHex(commD))
  }
  const replicaId = makeReplicaId({ proverId, sectorNumber: sector.id.number, ticket, commD, porepId: ctx.porepId })

  // Layers on disk are ours only if t_aux names the same replica id; otherwise they go.
  const tAuxPath = joinPath(ctx.paths.cache, CACHE_FILES.tAux)
  const previous = fs.exists(tAuxPath) ? safeReadTAux(store, tAuxPath) : null
  const resume = (options.resume ?? true) && previous?.replicaId === toHex(replicaId)
  if (!resume) for (let l = 1; l <= ctx.params.layers; l++) fs.remove(joinPath(ctx.paths.cache, layerFileName(l)))
  writeTAux(fs, tAuxPath, {
    version: 1,
    kind: 'seal',
    sealProof: sector.proofType,
    sectorSize: ctx.params.sectorSize,
    layers: ctx.params.layers,
    replicaId: toHex(replicaId),
    commD: toHex(commD),
    treeDStoreFrom: 0,
    treeCStoreFrom: 0,
    treeRLastStoreFrom: ctx.trees.treeRLastStoreFrom,
  })

  const layerPath = (layer: number) => joinPath(ctx.paths.cache, layerFileName(layer))
  await generateLabels(contextGraph(ctx), replicaId, ctx.params.layers, {
    kernels: ctx.kernels,
    signal: options.signal,
    onProgress: options.onProgress,
    load: (layer, into) => {
      if (!resume || !fs.exists(layerPath(layer))) return false
      const bytes = readWholeFile(fs, layerPath(layer))
      if (bytes.length !== into.length) return false
      into.set(bytes)
      return true
    },
    store: (layer, labels) => writeFileAtomic(fs, layerPath(layer), labels),
  })
  return Object.freeze({ proofType: sector.proofType, sectorId: sector.id, proverId, ticket: ticket.slice(), commD, replicaId })
}

function safeReadTAux(store: SectorStore, path: string) {
  try {
    return readTAux(store.fs, path)
  } catch (err) {
    if ((err as { code?: string }).code === 'E_SECTOR_AUX_INVALID') return null
    throw err
  }
}
