/**
 * `<root>[/path]` from a trustless gateway into the repo: every block is checked against its CID and the
 * DAG walk while it streams (verifyDag) and written through into a ReadWrite CARv2 at
 * `<dir>/<id>.car`. The id is stable for (root, path, provider), so running an interrupted retrieval again
 * reopens that CARv2 (its torn tail cut, every held block re-hashed) and asks the provider only for what is
 * missing (planRetrieval). A wrong, missing or extra block stops the stream before it is stored: what was
 * verified before it stays for the next run, the bad block never lands. Complete: the CARv2 is finalized.
 */
import { mkdirSync } from 'node:fs'
import type { CID } from 'multiformats/cid'
import { openReadOnly } from '../../store/blockstore/read-only.ts'
import { openReadWrite, type ReadWriteBlockstore } from '../../store/blockstore/read-write.ts'
import { DEFAULT_MAX_BLOCK_SIZE, verifyDag } from '../../store/dag/verify.ts'
import { planRetrieval, type HeldBlocks } from '../../store/dag/resume.ts'
import { entitySize } from '../../store/dag/entity.ts'
import { resolvePath } from '../../store/dag/path.ts'
import type { Block, BlockGetter, DagRequest } from '../../store/dag/types.ts'
import { toFileSystemError } from '../../store/errors.ts'
import { exportEntity, type ExportResult } from './export.ts'
import { fetchCar } from './fetch-car.ts'
import { lockRetrieval, normalizeProvider, readRecord, retrievalFiles, retrievalId, writeRecord } from './record.ts'
import type { ExportTarget, RetrievalOrder, RetrievalRecord, RetrieveOptions, RetrieveProgress, RetrieveResult } from './types.ts'

/** A ReadWrite store as the DAG walkers read it: `undefined` for a block it does not hold. */
export function heldBlocks(store: ReadWriteBlockstore): HeldBlocks & BlockGetter {
  return {
    has: (cid) => store.has(cid),
    get: async (cid) => ((await store.has(cid)) ? store.get(cid) : undefined),
  }
}

/** The whole-DAG request an order stands for. */
export function orderRequest(order: RetrievalOrder): DagRequest {
  return { root: order.root, path: order.path ?? [], scope: 'all', dups: false }
}

/**
 * Retrieves `order` into `options.dir` (see the module comment); with `target`, exports the result there
 * once it is complete. The record beside the CAR says how it went, whatever happens.
 */
export async function retrieve(order: RetrievalOrder, options: RetrieveOptions & { target?: ExportTarget }): Promise<RetrieveResult & { exported?: ExportResult }> {
  const provider = normalizeProvider(order.provider)
  const id = retrievalId(order)
  try {
    mkdirSync(options.dir, { recursive: true })
  } catch (err) {
    throw toFileSystemError(err, options.dir)
  }
  const files = retrievalFiles(options.dir, id)
  const release = lockRetrieval(options.dir, id)
  const previous = readRecord(options.dir, id)
  const record: RetrievalRecord = {
    id,
    root: order.root.toString(),
    path: (order.path ?? []).join('/'),
    provider,
    carPath: files.car,
    status: 'retrieving',
    blocks: 0,
    bytes: 0,
    startedAt: previous?.startedAt ?? new Date().toISOString(),
  }
  let store: ReadWriteBlockstore | undefined
  try {
    writeRecord(options.dir, record)
    store = await openRepoCar(files.car, order.root, options.signal)
    const run = await fetchMissing(store, order, provider, options)
    await store.finalize({ signal: options.signal })
    const held = heldBlocks(store)
    const terminal = (await resolvePath(order.root, order.path ?? [], (cid) => held.get(cid))).terminal.cid
    Object.assign(record, { status: 'complete', blocks: store.blockCount, bytes: store.dataSize, finishedAt: new Date().toISOString() })
    delete record.error
    writeRecord(options.dir, record)
    const exported = options.target === undefined ? undefined : await exportFrom(files.car, terminal, options.target, options.signal)
    return { record, ...run, resumed: store.resumed !== undefined, terminal, ...(exported && { exported }) }
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown }
    if (record.status !== 'complete') {
      Object.assign(record, {
        status: 'failed',
        blocks: store?.blockCount ?? 0,
        bytes: store?.dataSize ?? 0,
        error: { code: typeof e.code === 'string' ? e.code : 'E_INTERNAL', message: typeof e.message === 'string' ? e.message : 'unknown error' },
        finishedAt: new Date().toISOString(),
      })
      writeRecord(options.dir, record)
    }
    throw err
  } finally {
    try {
      await store?.close()
    } finally {
      release()
    }
  }
}

/**
 * Opens (or resumes) the retrieval's CARv2, re-hashing every held block. A file that cannot be resumed (not
 * a CARv2 of this root, or corrupt before its first block) holds nothing worth keeping: it is started over.
 */
async function openRepoCar(path: string, root: CID, signal: AbortSignal | undefined): Promise<ReadWriteBlockstore> {
  try {
    return await openReadWrite(path, [root], { verifyOnResume: true, signal })
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code !== 'E_BLOCKSTORE_RESUME_CORRUPT' && code !== 'E_BLOCKSTORE_RESUME_MISMATCH' && code !== 'E_CAR_WRONG_VERSION') throw err
    return openReadWrite(path, [root], { overwrite: true, signal })
  }
}

/**
 * Exports from the finalized CARv2 through a trusted ReadOnly view: every block in it was hash-checked on
 * arrival (or re-hashed when the file was resumed), so hashing it again on the way out would only halve the rate.
 */
async function exportFrom(car: string, terminal: CID, target: ExportTarget, signal: AbortSignal | undefined): Promise<ExportResult> {
  const ro = await openReadOnly(car, { trusted: true, signal })
  try {
    const blocks: BlockGetter = { get: async (cid) => ((await ro.has(cid)) ? ro.get(cid) : undefined) }
    return await exportEntity(blocks, terminal, target, { signal })
  } finally {
    await ro.close()
  }
}

/** Plans what is missing, fetches each part, verifies and stores it; returns what this run did. */
async function fetchMissing(
  store: ReadWriteBlockstore,
  order: RetrievalOrder,
  provider: string,
  options: RetrieveOptions,
): Promise<{ requests: number; fetchedBlocks: number; fetchedBytes: number }> {
  const request = orderRequest(order)
  const held = heldBlocks(store)
  const plan: DagRequest[] = []
  for await (const part of planRetrieval(request, held, { signal: options.signal })) plan.push(part)
  const progress: RetrieveProgress = { blocks: 0, bytes: 0, heldBytes: store.resumed ? store.dataSize : 0, requests: 0, planned: plan.length }
  progress.total = await terminalSize(order, held)
  options.onProgress?.(progress)
  const maxBlockSize = options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE
  const noPath = (order.path ?? []).length === 0
  for (const part of plan) {
    progress.requests++
    const res = await fetchCar(provider, part, { signal: options.signal, headers: options.headers, fetch: options.fetch, maxSectionSize: maxBlockSize + 256 })
    const verified = verifyDag({ ...part, dups: res.dups }, res.blocks, { signal: options.signal, maxBlockSize })
    const counted = (async function* (): AsyncGenerator<Block> {
      for await (const block of verified) {
        if (progress.total === undefined && noPath && block.cid.equals(order.root)) progress.total = entitySize(block)
        progress.blocks++
        progress.bytes += block.bytes.length
        yield block
        options.onProgress?.(progress)
      }
    })()
    await store.putMany(counted, { signal: options.signal })
  }
  options.onProgress?.(progress)
  return { requests: progress.requests, fetchedBlocks: progress.blocks, fetchedBytes: progress.bytes }
}

/** The size of the terminal entity when its block is already held and is a file or raw block. */
async function terminalSize(order: RetrievalOrder, held: BlockGetter): Promise<number | undefined> {
  try {
    const { terminal } = await resolvePath(order.root, order.path ?? [], (cid: CID) => held.get(cid))
    return entitySize(terminal)
  } catch (err) {
    // Not held yet (a fresh retrieval): the size becomes known when the root arrives.
    if ((err as { code?: string }).code === 'E_DAG_BLOCK_NOT_FOUND') return undefined
    throw err
  }
}
