/**
 * What the update phases share: the sector's parameters and paths, the old and new commitments recorded in
 * the caches, and a streaming loop over the sector in 1 MiB steps that yields to the event loop between
 * steps so aborts and progress get through.
 */
import { readPAux, readTAux, type PersistentAux, type TemporaryAux } from '../layout/aux.ts'
import { joinPath } from '../layout/fs.ts'
import { CACHE_FILES, type SectorStore } from '../layout/paths.ts'
import { hash2 } from '../merkle/hasher.ts'
import { CHUNK_NODES, fromHex, sealContext, type SealContext } from '../porep/context.ts'
import type { PhaseOptions, SectorRef } from '../porep/types.ts'
import { yieldToEventLoop } from '../sdr/yield.ts'
import { SectorAuxInvalidError } from '../layout/errors.ts'

/** The sealing context plus the sector key's commitments from `cache/`. */
export interface UpdateContext extends SealContext {
  readonly oldAux: PersistentAux
  readonly commROld: Uint8Array
}

/** Reads the sector key's p_aux; throws `E_SECTOR_FILE_MISSING` / `E_SECTOR_AUX_INVALID`. */
export function updateContext(store: SectorStore, sector: SectorRef, options: PhaseOptions): UpdateContext {
  const ctx = sealContext(store, sector, options.kernels)
  const oldAux = readPAux(store.fs, joinPath(ctx.paths.cache, CACHE_FILES.pAux))
  return { ...ctx, oldAux, commROld: hash2(ctx.hasher, oldAux.commC, oldAux.commRLast) }
}

/** What update-cache/ records about an update: t_aux (kind 'update') and p_aux. */
export interface UpdateRecord {
  readonly tAux: TemporaryAux
  readonly pAux: PersistentAux
  readonly commDNew: Uint8Array
  readonly commROld: Uint8Array
  readonly commRNew: Uint8Array
}

/** Reads update-cache/t_aux and p_aux; throws `E_SECTOR_FILE_MISSING` / `E_SECTOR_AUX_INVALID`. */
export function readUpdateRecord(store: SectorStore, ctx: SealContext): UpdateRecord {
  const tPath = joinPath(ctx.paths.updateCache, CACHE_FILES.tAux)
  const tAux = readTAux(store.fs, tPath)
  if (tAux.kind !== 'update' || typeof tAux.commROld !== 'string' || !/^[0-9a-f]{64}$/.test(tAux.commROld) || tAux.updateH !== ctx.params.updateH) {
    throw new SectorAuxInvalidError(tPath, 't_aux does not describe a replica update of this sector size')
  }
  const pAux = readPAux(store.fs, joinPath(ctx.paths.updateCache, CACHE_FILES.pAux))
  return { tAux, pAux, commDNew: fromHex(tAux.commD), commROld: fromHex(tAux.commROld), commRNew: hash2(ctx.hasher, pAux.commC, pAux.commRLast) }
}

/** Calls `step(first, count)` for every 1 MiB step of the sector, reporting progress between steps. */
export async function forEachChunk(ctx: SealContext, options: PhaseOptions, step: (first: number, count: number) => void): Promise<void> {
  const { nodes } = ctx.params
  const size = Math.min(CHUNK_NODES, nodes)
  for (let first = 0; first < nodes; first += size) {
    options.signal?.throwIfAborted()
    step(first, size)
    options.onProgress?.(first + size, nodes)
    await yieldToEventLoop()
  }
}

/** Nodes per step (for buffers). */
export function chunkNodes(ctx: SealContext): number {
  return Math.min(CHUNK_NODES, ctx.params.nodes)
}
