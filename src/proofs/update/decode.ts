/**
 * Back from an updated replica (rust-fil-proofs `EmptySectorUpdate::decode_from` and
 * `remove_encoded_data`, Lotus `DecodeReplicaUpdate` / `GenerateSectorKeyFromData`):
 *
 *  - decode: data[i] = (new[i] − key[i]) · rho(i)^−1, written as the unsealed sector; the result must have
 *    the update's CommD_new or nothing is replaced.
 *  - regenerate the sector key: key[i] = new[i] − data[i] · rho(i), written to `sealed/` with its tree_r_last
 *    in `cache/`; H(comm_c, root) must be the update's CommR_old or nothing is replaced.
 *
 * Both read CommD_new and CommR_old from `update-cache/t_aux` and stream the sector in 1 MiB steps.
 */
import { createAtomicFile, type AtomicFile } from '../layout/atomic.ts'
import { writePAux } from '../layout/aux.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import type { SectorFile } from '../layout/fs.ts'
import { joinPath } from '../layout/fs.ts'
import { CACHE_FILES, type SectorStore } from '../layout/paths.ts'
import { TreeBuilder } from '../merkle/builder.ts'
import { hash2 } from '../merkle/hasher.ts'
import { equalBytes } from '../merkle/proof.ts'
import { treeFileSink } from '../merkle/tree-file.ts'
import { sealContext, type SealContext } from '../porep/context.ts'
import type { SectorRef } from '../porep/types.ts'
import { UpdateMismatchError } from './errors.ts'
import { updatePhi, updateRhoInverses, updateRhos } from './randomness.ts'
import { chunkNodes, forEachChunk, readUpdateRecord } from './sector-files.ts'
import type { NodeSource, UpdatePhaseOptions } from './types.ts'

/** Options of `decodeReplicaUpdate`. */
export interface DecodeUpdateOptions extends UpdatePhaseOptions {
  /** The sector key's nodes (default: read from `sealed/<name>`); unsealing passes regenerated labels. */
  key?: NodeSource
}

function fileSource(store: SectorStore, path: string, size: number, opened: SectorFile[]): NodeSource {
  const f = store.fs.openRead(path)
  opened.push(f)
  if (f.size() !== size) throw new SectorFileSizeError(path, size, f.size())
  return (into, first) => f.read(into, 32 * first)
}

/** Decodes the new data out of `update/<name>`; returns CommD_new. */
export async function decodeReplicaUpdate(store: SectorStore, sector: SectorRef, options: DecodeUpdateOptions = {}): Promise<Uint8Array> {
  const ctx = sealContext(store, sector, options.kernels)
  return decodeWithContext(store, ctx, options)
}

/** `decodeReplicaUpdate` over a context the caller already has. */
export async function decodeWithContext(store: SectorStore, ctx: SealContext, options: DecodeUpdateOptions): Promise<Uint8Array> {
  const record = readUpdateRecord(store, ctx)
  const inverses = updateRhoInverses(updateRhos(ctx.params, updatePhi(record.commDNew, record.commROld)))
  const opened: SectorFile[] = []
  const target = options.dataPath ?? ctx.paths.unsealed
  let out: AtomicFile | null = null
  try {
    const replica = fileSource(store, ctx.paths.update, ctx.params.sectorSize, opened)
    const key = options.key ?? fileSource(store, ctx.paths.sealed, ctx.params.sectorSize, opened)
    out = createAtomicFile(store.fs, target)
    const tree = new TreeBuilder(ctx.trees.treeD, ctx.hasher, 0, null)
    const step = chunkNodes(ctx)
    const [r, k, d] = [new Uint8Array(32 * step), new Uint8Array(32 * step), new Uint8Array(32 * step)]
    const file = out.file
    await forEachChunk(ctx, options, (first) => {
      replica(r, first)
      key(k, first)
      ctx.kernels.updateDecode(r, k, d, inverses, first)
      file.write(d, 32 * first)
      tree.push(d)
    })
    if (!equalBytes(tree.finish(), record.commDNew)) throw new UpdateMismatchError('the CommD of the data decoded', ctx.paths.update)
    out.commit()
    out = null
    return record.commDNew
  } finally {
    for (const f of opened) f.close()
    out?.abort()
  }
}

/** Rebuilds the sector key (`sealed/<name>`, cache tree_r_last and p_aux) from the update and its data; returns CommR_old. */
export async function regenerateSectorKey(store: SectorStore, sector: SectorRef, options: UpdatePhaseOptions = {}): Promise<Uint8Array> {
  const ctx = sealContext(store, sector, options.kernels)
  const record = readUpdateRecord(store, ctx)
  const rhos = updateRhos(ctx.params, updatePhi(record.commDNew, record.commROld))
  const opened: SectorFile[] = []
  const outputs: AtomicFile[] = []
  try {
    const replica = fileSource(store, ctx.paths.update, ctx.params.sectorSize, opened)
    const data = fileSource(store, options.dataPath ?? ctx.paths.unsealed, ctx.params.sectorSize, opened)
    const sealed = createAtomicFile(store.fs, ctx.paths.sealed)
    outputs.push(sealed)
    const treeFile = createAtomicFile(store.fs, joinPath(ctx.paths.cache, CACHE_FILES.treeRLast))
    outputs.push(treeFile)
    const { treeR, treeRLastStoreFrom } = ctx.trees
    const tree = new TreeBuilder(treeR, ctx.hasher, treeRLastStoreFrom, treeFileSink(treeFile.file, treeR, treeRLastStoreFrom))
    const step = chunkNodes(ctx)
    const [r, d, k] = [new Uint8Array(32 * step), new Uint8Array(32 * step), new Uint8Array(32 * step)]
    await forEachChunk(ctx, options, (first) => {
      replica(r, first)
      data(d, first)
      ctx.kernels.updateRemoveData(r, d, k, rhos, first)
      sealed.file.write(k, 32 * first)
      tree.push(k)
    })
    const commRLast = tree.finish()
    if (!equalBytes(hash2(ctx.hasher, record.pAux.commC, commRLast), record.commROld)) throw new UpdateMismatchError('the CommR of the sector key regenerated', ctx.paths.update)
    for (const o of outputs) o.commit()
    outputs.length = 0
    writePAux(store.fs, joinPath(ctx.paths.cache, CACHE_FILES.pAux), { commC: record.pAux.commC, commRLast })
    return record.commROld
  } finally {
    for (const f of opened) f.close()
    for (const o of outputs) o.abort()
  }
}
