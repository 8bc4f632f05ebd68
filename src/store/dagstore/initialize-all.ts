/**
 * `DagstoreInitializeAll`: indexes every New shard, a few at a time, reporting a `start` and an `end` event
 * per shard in Lotus's shape. Shards whose piece has no unsealed copy are skipped unless `includeSealed`
 * (which Lotus's CLI never passed through). The concurrency bounds shards being scanned and written; shards
 * waiting only for their lookup rows' group commit do not count, so small shards share commits.
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
  // A worker moves on once its shard is scanned and written (`released`): the shard's lookup rows may still
  // wait for a group commit with the next shards', and its end event comes when that commit lands.
  const ends: Array<Promise<void>> = []
  const worker = async () => {
    while (next < total && !opts.signal?.aborted) {
      const i = next++
      const key = selected[i]
      push({ Key: key, Event: 'start', Success: false, Error: '', Total: total, Current: i + 1 })
      let release!: () => void
      const released = new Promise<void>((resolve) => (release = resolve))
      const end = dagstore.initialize(key, { signal: opts.signal, released: release }).then(
        () => push({ Key: key, Event: 'end', Success: true, Error: '', Total: total, Current: i + 1 }),
        (err) => push({ Key: key, Event: 'end', Success: false, Error: (err as Error).message, Total: total, Current: i + 1 }),
      )
      ends.push(end)
      await Promise.race([released, end])
    }
  }
  const workers = opts.concurrency > 0 ? Math.min(opts.concurrency, total) : total
  const done = Promise.all(Array.from({ length: workers }, worker)).then(() => Promise.all(ends))
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
