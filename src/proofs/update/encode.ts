/**
 * Replica update (Lotus `ReplicaUpdate`, rust-fil-proofs `EmptySectorUpdate::encode_into`): encodes new
 * data into a sealed sector without sealing again. The sector key is the replica in `sealed/` (with
 * comm_c and comm_r_last_old in `cache/p_aux`); the new data is the fr32-padded sector in `unsealed/` (or
 * `dataPath`). In two streaming passes it builds tree_d over the new data (CommD_new), then writes
 * new[i] = key[i] + data[i] · rho(i) to `update/<name>` while building its tree_r_last. `update-cache/`
 * gets sc-02-data-tree-d.dat, sc-02-data-tree-r-last.dat, t_aux and finally p_aux (comm_c ‖
 * comm_r_last_new: comm_c is the original sealing's), whose presence marks the update complete. CommR_new =
 * H(comm_c, comm_r_last_new). Every file is atomic; running the phase again rewrites them all.
 */
import { generateUnsealedCid, type PieceRef } from '../commd/commd.ts'
import { createAtomicFile, type AtomicFile } from '../layout/atomic.ts'
import { readTAux, writePAux, writeTAux } from '../layout/aux.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import type { SectorFile } from '../layout/fs.ts'
import { joinPath } from '../layout/fs.ts'
import { CACHE_FILES, type SectorStore } from '../layout/paths.ts'
import { TreeBuilder } from '../merkle/builder.ts'
import { hash2 } from '../merkle/hasher.ts'
import { treeFileSink } from '../merkle/tree-file.ts'
import { rootFromPieceCidV1 } from '../piece/cid.ts'
import { toHex } from '../porep/context.ts'
import { CommDMismatchError, UnsealedDataInvalidError } from '../porep/errors.ts'
import type { SectorRef } from '../porep/types.ts'
import { chunkNodes, forEachChunk, updateContext, type UpdateContext } from './sector-files.ts'
import { updatePhi, updateRhos } from './randomness.ts'
import type { UpdateCommitments, UpdatePhaseOptions } from './types.ts'

/** Options of `encodeReplicaUpdate`. */
export interface ReplicaUpdateOptions extends UpdatePhaseOptions {
  /** When given, CommD_new must be the CommD of these pieces (the deals the update carries). */
  pieces?: readonly PieceRef[]
}

function openSized(store: SectorStore, path: string, size: number, opened: SectorFile[]): SectorFile {
  const f = store.fs.openRead(path)
  opened.push(f)
  if (f.size() !== size) throw new SectorFileSizeError(path, size, f.size())
  return f
}

/** Pass 1: tree_d over the new data into update-cache; returns CommD_new. */
async function buildNewTreeD(store: SectorStore, ctx: UpdateContext, data: SectorFile, options: UpdatePhaseOptions): Promise<Uint8Array> {
  const out = createAtomicFile(store.fs, joinPath(ctx.paths.updateCache, CACHE_FILES.treeD))
  try {
    const builder = new TreeBuilder(ctx.trees.treeD, ctx.hasher, 0, treeFileSink(out.file, ctx.trees.treeD, 0))
    const chunk = new Uint8Array(32 * chunkNodes(ctx))
    await forEachChunk(ctx, { signal: options.signal }, (first) => {
      data.read(chunk, 32 * first)
      for (let i = 31; i < chunk.length; i += 32) if (chunk[i] & 0xc0) throw new UnsealedDataInvalidError(first + (i - 31) / 32)
      builder.push(chunk)
    })
    const root = builder.finish()
    out.commit()
    return root
  } catch (err) {
    out.abort()
    throw err
  }
}

/** Runs the replica update; returns CommR_old, CommR_new and CommD_new. */
export async function encodeReplicaUpdate(store: SectorStore, sector: SectorRef, options: ReplicaUpdateOptions = {}): Promise<UpdateCommitments> {
  const ctx = updateContext(store, sector, options)
  const { fs } = store
  const { sectorSize } = ctx.params
  const sealTAux = readTAux(fs, joinPath(ctx.paths.cache, CACHE_FILES.tAux))
  fs.mkdirp(ctx.paths.updateCache)
  // A p_aux from an earlier run must not vouch for the files this run is about to replace.
  fs.remove(joinPath(ctx.paths.updateCache, CACHE_FILES.pAux))

  const opened: SectorFile[] = []
  const outputs: AtomicFile[] = []
  try {
    const data = openSized(store, options.dataPath ?? ctx.paths.unsealed, sectorSize, opened)
    const key = openSized(store, ctx.paths.sealed, sectorSize, opened)
    const commDNew = await buildNewTreeD(store, ctx, data, options)
    if (options.pieces) {
      const expected = rootFromPieceCidV1(generateUnsealedCid(sectorSize, options.pieces))
      if (toHex(expected) !== toHex(commDNew)) throw new CommDMismatchError(toHex(expected), toHex(commDNew))
    }
    const rhos = updateRhos(ctx.params, updatePhi(commDNew, ctx.commROld))

    const replica = createAtomicFile(fs, ctx.paths.update)
    outputs.push(replica)
    const treeFile = createAtomicFile(fs, joinPath(ctx.paths.updateCache, CACHE_FILES.treeRLast))
    outputs.push(treeFile)
    const { treeR, treeRLastStoreFrom } = ctx.trees
    const tree = new TreeBuilder(treeR, ctx.hasher, treeRLastStoreFrom, treeFileSink(treeFile.file, treeR, treeRLastStoreFrom))
    const step = chunkNodes(ctx)
    const keyChunk = new Uint8Array(32 * step)
    const dataChunk = new Uint8Array(32 * step)
    const out = new Uint8Array(32 * step)
    await forEachChunk(ctx, { signal: options.signal, onProgress: options.onProgress }, (first) => {
      key.read(keyChunk, 32 * first)
      data.read(dataChunk, 32 * first)
      ctx.kernels.updateEncode(keyChunk, dataChunk, out, rhos, first)
      replica.file.write(out, 32 * first)
      tree.push(out)
    })
    const commRLast = tree.finish()
    for (const o of outputs) o.commit()
    outputs.length = 0
    writeTAux(fs, joinPath(ctx.paths.updateCache, CACHE_FILES.tAux), {
      version: 1,
      kind: 'update',
      sealProof: sector.proofType,
      sectorSize,
      layers: ctx.params.layers,
      replicaId: sealTAux.replicaId,
      commD: toHex(commDNew),
      treeDStoreFrom: 0,
      treeCStoreFrom: 0,
      treeRLastStoreFrom,
      commROld: toHex(ctx.commROld),
      updateH: ctx.params.updateH,
    })
    writePAux(fs, joinPath(ctx.paths.updateCache, CACHE_FILES.pAux), { commC: ctx.oldAux.commC, commRLast })
    return Object.freeze({ commROld: ctx.commROld, commRNew: hash2(ctx.hasher, ctx.oldAux.commC, commRLast), commDNew })
  } finally {
    for (const f of opened) f.close()
    for (const o of outputs) o.abort()
  }
}
