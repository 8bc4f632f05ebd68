/**
 * A retrieval as a stream of events, for `Filecoin.ClientRetrieveWithEvents`: progress at most every
 * `intervalMs`, then one final `complete` or `error` event (errors travel as an event with their stable code,
 * as Lotus's RetrievalEvent carries `Err`, because a channel cannot carry an error). Leaving the stream early
 * aborts the retrieval; what was verified so far stays for the next run.
 */
import { retrieve } from './retrieve.ts'
import { toRetrievalInfo, type RetrievalInfo } from './info.ts'
import type { ExportTarget, RetrievalOrder, RetrieveOptions, RetrieveProgress } from './types.ts'

/** One event of a retrieval. */
export type RetrievalEvent =
  | ({ Event: 'progress' } & ProgressFields)
  | ({ Event: 'complete'; Result: RetrievalInfo } & ProgressFields)
  | ({ Event: 'error'; Err: string; Code: string } & ProgressFields)

/** Progress as it travels: Lotus's BytesReceived plus petal's counts. */
export interface ProgressFields {
  BytesReceived: number
  BlocksReceived: number
  BytesHeld: number
  Total: number | null
  Requests: number
  Planned: number
}

function fields(p: RetrieveProgress | undefined): ProgressFields {
  return {
    BytesReceived: p?.bytes ?? 0,
    BlocksReceived: p?.blocks ?? 0,
    BytesHeld: p?.heldBytes ?? 0,
    Total: p?.total ?? null,
    Requests: p?.requests ?? 0,
    Planned: p?.planned ?? 0,
  }
}

/** Runs `order` and yields its events; see the module comment. */
export async function* retrieveEvents(
  order: RetrievalOrder,
  options: RetrieveOptions & { target?: ExportTarget; intervalMs?: number },
): AsyncGenerator<RetrievalEvent> {
  const abort = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal
  const interval = options.intervalMs ?? 250
  let latest: RetrieveProgress | undefined
  let sentAt = -Infinity
  let wake: (() => void) | undefined
  let pending = false
  const run = retrieve(order, {
    ...options,
    signal,
    onProgress: (p) => {
      latest = { ...p }
      const now = performance.now()
      if (now - sentAt >= interval) {
        sentAt = now
        pending = true
        wake?.()
      }
    },
  }).then(
    (result) => ({ ok: true as const, result }),
    (err: unknown) => ({ ok: false as const, err }),
  )
  let finished = false
  void run.then(() => {
    finished = true
    wake?.()
  })
  try {
    for (;;) {
      if (!pending && !finished) await new Promise<void>((r) => (wake = r))
      wake = undefined
      if (pending) {
        pending = false
        yield { Event: 'progress', ...fields(latest) }
      }
      if (finished) break
    }
    const outcome = await run
    if (outcome.ok) {
      yield { Event: 'complete', Result: toRetrievalInfo(outcome.result), ...fields(latest) }
      return
    }
    const e = outcome.err as { code?: unknown; message?: unknown }
    yield { Event: 'error', Err: typeof e.message === 'string' ? e.message : 'retrieval failed', Code: typeof e.code === 'string' ? e.code : 'E_INTERNAL', ...fields(latest) }
  } finally {
    if (!finished) {
      abort.abort()
      await run
    }
  }
}
