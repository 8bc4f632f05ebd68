/** A counting semaphore: at most `limit` tasks run at once; 0 means unlimited. Waiters run in FIFO order. */
export class Throttle {
  #running = 0
  readonly #queue: Array<() => void> = []

  constructor(readonly limit: number) {}

  /** Tasks running now. */
  get running(): number {
    return this.#running
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.#queue.length
  }

  /** Runs `task` when a slot is free. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // A finishing task hands its slot straight to the first waiter, so no newcomer can slip in between.
    if (this.limit > 0 && this.#running >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener('abort', abort)
          resolve()
        }
        const abort = () => {
          const i = this.#queue.indexOf(go)
          if (i >= 0) this.#queue.splice(i, 1)
          reject(signal!.reason)
        }
        signal?.addEventListener('abort', abort, { once: true })
        this.#queue.push(go)
      })
    } else {
      this.#running++
    }
    try {
      return await task()
    } finally {
      const next = this.#queue.shift()
      if (next) next()
      else this.#running--
    }
  }
}
