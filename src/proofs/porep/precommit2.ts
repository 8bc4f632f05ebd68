/**
 * PreCommit2: from the labels and the data, in one streaming pass of 1 MiB steps, the column hashes (the
 * leaves of tree_c), the replica (data + key in Fr, key = last layer) and the leaves of tree_r_last. Writes
 * `sealed/<name>`, the tree_c and tree_r_last files and finally `p_aux` (comm_c ‖ comm_r_last), whose
 * presence marks the phase complete. CommR = H(comm_c, comm_r_last). Every file is atomic; re-running the
 * phase rewrites them all.
 */
import { sealContext, toHex, CHUNK_NODES } from './context.ts'
import { createAtomicFile, type AtomicFile } from '../layout/atomic.ts'
import { readTAux, writePAux } from '../layout/aux.ts'
import type { SectorFile } from '../layout/fs.ts'
import { joinPath } from '../layout/fs.ts'
import { CACHE_FILES, layerFileName, type SectorStore } from '../layout/paths.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import { TreeBuilder } from '../merkle/builder.ts'
import { hash2 } from '../merkle/hasher.ts'
import { treeFileSink } from '../merkle/tree-file.ts'
import { yieldToEventLoop } from '../sdr/yield.ts'
import { ReplicaIdMismatchError } from './errors.ts'
import type { PhaseOptions, PreCommit1Output, SectorCommitments, SectorRef } from './types.ts'

/** Runs PreCommit2; returns CommR and CommD. */
export async function sealPreCommit2(store: SectorStore, sector: SectorRef, pc1: PreCommit1Output, options: PhaseOptions = {}): Promise<SectorCommitments> {
  const ctx = sealContext(store, sector, options.kernels)
  const { fs } = store
  const { nodes, layers, sectorSize } = ctx.params
  const tAux = readTAux(fs, joinPath(ctx.paths.cache, CACHE_FILES.tAux))
  if (tAux.replicaId !== toHex(pc1.replicaId) || tAux.commD !== toHex(pc1.commD)) throw new ReplicaIdMismatchError('the PreCommit1 output')
  // A p_aux from an earlier run must not vouch for the files this run is about to replace.
  fs.remove(joinPath(ctx.paths.cache, CACHE_FILES.pAux))

  const inputs: SectorFile[] = []
  const outputs: AtomicFile[] = []
  try {
    for (let l = 1; l <= layers; l++) inputs.push(fs.openRead(joinPath(ctx.paths.cache, layerFileName(l))))
    inputs.push(fs.openRead(ctx.paths.unsealed))
    for (const [i, f] of inputs.entries()) {
      if (f.size() !== sectorSize) throw new SectorFileSizeError(i < layers ? layerFileName(i + 1) : ctx.paths.unsealed, sectorSize, f.size())
    }
    const sealed = createAtomicFile(fs, ctx.paths.sealed)
    outputs.push(sealed)
    const treeCFile = createAtomicFile(fs, joinPath(ctx.paths.cache, CACHE_FILES.treeC))
    outputs.push(treeCFile)
    const treeRFile = createAtomicFile(fs, joinPath(ctx.paths.cache, CACHE_FILES.treeRLast))
    outputs.push(treeRFile)
    const { treeR, treeRLastStoreFrom } = ctx.trees
    const treeC = new TreeBuilder(treeR, ctx.hasher, 0, treeFileSink(treeCFile.file, treeR, 0))
    const treeRLast = new TreeBuilder(treeR, ctx.hasher, treeRLastStoreFrom, treeFileSink(treeRFile.file, treeR, treeRLastStoreFrom))

    const step = Math.min(CHUNK_NODES, nodes)
    const layerChunks = Array.from({ length: layers }, () => new Uint8Array(32 * step))
    const data = new Uint8Array(32 * step)
    const columns = new Uint8Array(32 * step)
    for (let start = 0; start < nodes; start += step) {
      options.signal?.throwIfAborted()
      const at = 32 * start
      for (let l = 0; l < layers; l++) inputs[l].read(layerChunks[l], at)
      inputs[layers].read(data, at)
      ctx.kernels.hashColumns(layerChunks, columns)
      treeC.push(columns)
      // The replica overwrites the data buffer: replica = data + key.
      ctx.kernels.addNodes(data, layerChunks[layers - 1], data)
      sealed.file.write(data, at)
      treeRLast.push(data)
      options.onProgress?.(start + step, nodes)
      await yieldToEventLoop()
    }
    const commC = treeC.finish()
    const commRLast = treeRLast.finish()
    for (const out of outputs) out.commit()
    outputs.length = 0
    writePAux(fs, joinPath(ctx.paths.cache, CACHE_FILES.pAux), { commC, commRLast })
    return Object.freeze({ commR: hash2(ctx.hasher, commC, commRLast), commD: pc1.commD.slice() })
  } finally {
    for (const f of inputs) f.close()
    for (const out of outputs) out.abort()
  }
}
