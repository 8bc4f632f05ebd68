/**
 * One request's shared cancellation and deadline. Every call of a batch shares it, so a batch of 100 pays
 * for one AbortController, one listener and at most one timer — not one per call.
 */
import { RequestTimeoutError } from '../errors.ts'

/** Cancellation and timeout shared by the calls of one request. */
export class RequestScope {
  readonly #abort = new AbortController()
  readonly #outer: AbortSignal[]
  readonly #timeoutMs: number
  #timer: ReturnType<typeof setTimeout> | undefined
  #deadline: Promise<never> | undefined
  readonly #onOuterAbort = (e: Event) => this.#abort.abort((e.target as AbortSignal).reason)

  /** `outer`: signals that cancel the request (client gone, session closed, node shutting down). */
  constructor(outer: AbortSignal | AbortSignal[], timeoutMs: number) {
    this.#outer = Array.isArray(outer) ? outer : [outer]
    this.#timeoutMs = timeoutMs
    for (const o of this.#outer) {
      if (o.aborted) this.#abort.abort(o.reason)
      else o.addEventListener('abort', this.#onOuterAbort, { once: true })
    }
  }

  /** Aborts when the client goes away, the node shuts down, or the deadline passes. */
  get signal(): AbortSignal {
    return this.#abort.signal
  }

  /** Awaits `work`, failing with RequestTimeoutError once the request's deadline passes. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.#timeoutMs <= 0) return work
    this.#deadline ??= new Promise<never>((_, reject) => {
      this.#timer = setTimeout(() => {
        const err = new RequestTimeoutError(this.#timeoutMs)
        reject(err) // settle first, so a handler that returns on abort does not win the race
        this.#abort.abort(err)
      }, this.#timeoutMs)
    })
    this.#deadline.catch(() => {}) // a deadline nobody awaits any more must not be an unhandled rejection
    return Promise.race([work, this.#deadline])
  }

  /** Aborts every call of the request (a client's `xrpc.cancel`). */
  cancel(reason: unknown): void {
    this.#abort.abort(reason)
  }

  /** Releases the timer and the listener; does not abort. */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer)
    for (const o of this.#outer) o.removeEventListener('abort', this.#onOuterAbort)
  }
}
