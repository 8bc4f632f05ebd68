/**
 * `DagstoreInitializeAll`: indexes every New shard, a few at a time, reporting a `start` and an `end` event
 * per shard in Lotus's shape. Shards whose piece has no unsealed copy are skipped unless `includeSealed`
 * (which Lotus's CLI never passed through).
 */
import type { Dagstore } from './dagstore.ts'
import type { MountResolver } from './mounts/registry.ts'

/** Lotus's `DagstoreInitializeAllEvent`. */
export interface InitializeAllEvent {
  Key: string
  Event: 'start' | 'end'
  Success: boolean
  Error: string
  Total: number
  Current: number
}

/** Options of `initializeAll`. */
export interface InitializeAllOptions {
  /** Shards indexed at once by this call (0 = no limit beyond the dagstore's own). */
  concurrency: number
  /** Also initialize shards whose piece must be unsealed first. */
  includeSealed: boolean
  signal?: AbortSignal
}

/** Runs the initialization and yields events as they happen; ends after 2 × Total events. */
export async function* initializeAll(dagstore: Dagstore, resolveMount: MountResolver, opts: InitializeAllOptions): AsyncIterable<InitializeAllEvent> {
  const candidates = dagstore.list().filter((s) => s.State === 'ShardStateNew')
  const selected: string[] = []
  for (const s of candidates) {
    if (opts.includeSealed) selected.push(s.Key)
    else if ((await resolveMount(dagstore.record(s.Key).mountUrl).stat()).ready) selected.push(s.Key)
  }
  const total = selected.length
  if (total === 0) return
  const queue: InitializeAllEvent[] = []
  let wake: (() => void) | null = null
  const push = (e: InitializeAllEvent) => {
    queue.push(e)
    wake?.()
  }
  let next = 0
  const worker = async () => {
    while (next < total && !opts.signal?.aborted) {
      const i = next++
      const key = selected[i]
      push({ Key: key, Event: 'start', Success: false, Error: '', Total: total, Current: i + 1 })
      try {
        await dagstore.initialize(key, { signal: opts.signal })
        push({ Key: key, Event: 'end', Success: true, Error: '', Total: total, Current: i + 1 })
      } catch (err) {
        push({ Key: key, Event: 'end', Success: false, Error: (err as Error).message, Total: total, Current: i + 1 })
      }
    }
  }
  const workers = opts.concurrency > 0 ? Math.min(opts.concurrency, total) : total
  const done = Promise.all(Array.from({ length: workers }, worker))
  let finished = false
  void done.then(() => {
    finished = true
    wake?.()
  })
  while (!finished || queue.length > 0) {
    if (queue.length === 0) await new Promise<void>((r) => (wake = r))
    wake = null
    while (queue.length > 0) yield queue.shift()!
    if (opts.signal?.aborted) return
  }
}
