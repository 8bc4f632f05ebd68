/**
 * A pool of Workers that hash whole commP subtrees, one per core by default. Chunks travel by transfer (no
 * copy) and come back with their root for reuse. Works from a source checkout and from the single binary,
 * where the worker is an extra entry point (scripts/native.ts WORKER_ENTRIES) named in ./embedded.ts.
 */
import { availableParallelism } from 'node:os'
import type { SubtreePool } from '../../../proofs/commp/types.ts'
import { EMBEDDED_WORKERS } from './embedded.ts'
import { FileChangedError, WorkerFailedError } from './errors.ts'
import { nativeMode, type NativeMode } from './mode.ts'

/** Messages from the pool to ./commp-worker.ts. */
export type PoolRequest =
  | { type: 'init'; mode: NativeMode }
  | { type: 'job'; id: number; chunk: Uint8Array }
  | { type: 'file'; id: number; path: string; offset: number; length: number }
/** Messages from ./commp-worker.ts back to the pool. */
export type PoolReply =
  | { type: 'ready'; name: string }
  | { type: 'result'; id: number; root: Uint8Array; chunk?: Uint8Array }
  | { type: 'error'; id: number | null; code: string; message: string }

/** Options of `openSubtreePool`. */
export interface SubtreePoolOptions {
  /** Workers to start (default: one per core). */
  threads?: number
  /** Native mode inside the workers (default: this process's). */
  mode?: NativeMode
}

/** The hasher each worker runs, once the pool is open: `native:sha-ni`, `typescript`, … */
export interface OpenSubtreePool extends SubtreePool {
  readonly hasherName: string
  /**
   * Root of `length` bytes (127 × 2^k) of the file at `path` from `offset`, read by the worker itself, so the
   * bytes never cross threads. Rejects with `E_FILE_CHANGED` when the file is shorter than that.
   */
  fileSubtreeRoot(path: string, offset: number, length: number): Promise<Uint8Array>
}

/** The worker script: the binary's embedded entry, else the source file next to this one. */
export function commPWorkerUrl(): string | URL {
  return EMBEDDED_WORKERS.commp ?? new URL('./commp-worker.ts', import.meta.url)
}

interface Job {
  resolve: (v: { root: Uint8Array; chunk?: Uint8Array }) => void
  reject: (e: Error) => void
}

/** Starts the workers and waits until each has loaded its hasher. */
export async function openSubtreePool(options: SubtreePoolOptions = {}): Promise<OpenSubtreePool> {
  const threads = Math.max(1, options.threads ?? availableParallelism())
  const mode = options.mode ?? nativeMode()
  const workers: Worker[] = []
  const load = new Array<number>(threads).fill(0)
  const jobs = new Map<number, Job>()
  let nextId = 0
  let failure: Error | undefined
  let hasherName = ''

  const fail = (err: Error) => {
    failure ??= err
    for (const job of jobs.values()) job.reject(failure)
    jobs.clear()
  }

  const start = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(commPWorkerUrl())
      workers.push(worker)
      worker.onmessage = (event: MessageEvent<PoolReply>) => {
        const msg = event.data
        if (msg.type === 'ready') {
          hasherName = msg.name
          resolve()
          return
        }
        if (msg.type === 'error' && msg.id === null) {
          const err = new WorkerFailedError(`${msg.code}: ${msg.message}`)
          reject(err)
          fail(err)
          return
        }
        const job = jobs.get(msg.id as number)
        if (!job) return
        jobs.delete(msg.id as number)
        load[index]--
        if (msg.type === 'result') job.resolve({ root: msg.root, chunk: msg.chunk })
        else job.reject(msg.code === 'E_FILE_CHANGED' ? new FileChangedError(msg.message) : new WorkerFailedError(`${msg.code}: ${msg.message}`))
      }
      worker.onerror = (event: ErrorEvent) => {
        const err = new WorkerFailedError(event.message || 'worker error', { cause: event.error })
        reject(err)
        fail(err)
      }
      worker.postMessage({ type: 'init', mode } satisfies PoolRequest)
    })
  const ready = Promise.all(Array.from({ length: threads }, (_, i) => start(i)))

  const close = async () => {
    fail(new WorkerFailedError('pool closed'))
    for (const w of workers) w.terminate()
  }

  try {
    await ready
  } catch (err) {
    await close()
    throw err
  }

  const submit = (request: PoolRequest & { id: number }, transfer: Transferable[]) =>
    new Promise<{ root: Uint8Array; chunk?: Uint8Array }>((resolve, reject) => {
      let worker = 0
      for (let i = 1; i < threads; i++) if (load[i] < load[worker]) worker = i
      jobs.set(request.id, { resolve, reject })
      load[worker]++
      workers[worker].postMessage(request, transfer)
    })

  return {
    size: threads,
    hasherName,
    async subtreeRoot(chunk) {
      if (failure) throw failure
      // Transfer needs the chunk to own its whole buffer; copy the rare view that does not.
      const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice()
      const { root, chunk: back } = await submit({ type: 'job', id: nextId++, chunk: own }, [own.buffer as ArrayBuffer])
      return { root, chunk: back! }
    },
    async fileSubtreeRoot(path, offset, length) {
      if (failure) throw failure
      return (await submit({ type: 'file', id: nextId++, path, offset, length }, [])).root
    },
    close,
  }
}
