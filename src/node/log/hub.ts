/**
 * The log hub: per-subsystem levels changeable at runtime, sinks, and live subscriptions (behind
 * `Filecoin.LogSubscribe` and `petal log tail`).
 */
import { UnknownSubsystemError } from '../errors.ts'
import { levelRank, type Level } from './levels.ts'
import type { LogEntry, Logger, LogSink } from './types.ts'

/** Entries a slow subscriber may fall behind by before the oldest are dropped. */
const SUBSCRIBER_QUEUE = 1000

interface Subscriber {
  min: number
  push(e: LogEntry): void
}

/** Holds levels, sinks and subscribers for every subsystem. */
export class LogHub {
  readonly #levels = new Map<string, Level>()
  readonly #sinks = new Set<LogSink>()
  readonly #subscribers = new Set<Subscriber>()
  #default: Level = 'info'

  /** The logger for `subsystem`, registering the subsystem so `LogList` shows it. */
  logger(subsystem: string): Logger {
    if (!this.#levels.has(subsystem)) this.#levels.set(subsystem, this.#default)
    const write = (level: Level) => (msg: string, fields?: Record<string, unknown>) => this.#write(subsystem, level, msg, fields)
    return {
      subsystem,
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      enabled: (level) => this.#passes(subsystem, level) || this.#subscribed(level),
    }
  }

  /** Subsystem names, sorted. */
  subsystems(): string[] {
    return [...this.#levels.keys()].sort()
  }

  /** The level of one subsystem. */
  level(subsystem: string): Level {
    const l = this.#levels.get(subsystem)
    if (!l) throw new UnknownSubsystemError(subsystem)
    return l
  }

  /** Sets one subsystem's level, or every one with `*`. */
  setLevel(subsystem: string, level: Level): void {
    if (subsystem === '*') {
      this.#default = level
      for (const s of this.#levels.keys()) this.#levels.set(s, level)
      return
    }
    if (!this.#levels.has(subsystem)) throw new UnknownSubsystemError(subsystem)
    this.#levels.set(subsystem, level)
  }

  /** Sets the default for all subsystems, then the named overrides (from config). */
  configure(defaultLevel: Level, overrides: Record<string, Level> = {}): void {
    this.setLevel('*', defaultLevel)
    for (const [s, l] of Object.entries(overrides)) {
      this.logger(s)
      this.#levels.set(s, l)
    }
  }

  /** Adds a sink; returns a function that removes it. */
  addSink(sink: LogSink): () => void {
    this.#sinks.add(sink)
    return () => this.#sinks.delete(sink)
  }

  /**
   * Streams entries at or above `min` from now on, until `signal` aborts. Entries are delivered regardless of
   * subsystem levels, so a tail at debug sees debug lines without changing what the node writes.
   */
  async *subscribe(min: Level, signal: AbortSignal): AsyncIterable<LogEntry> {
    const queue: LogEntry[] = []
    let wake: (() => void) | null = null
    const sub: Subscriber = {
      min: levelRank(min),
      push: (e) => {
        if (queue.length >= SUBSCRIBER_QUEUE) queue.shift()
        queue.push(e)
        wake?.()
      },
    }
    const onAbort = () => wake?.()
    signal.addEventListener('abort', onAbort, { once: true })
    this.#subscribers.add(sub)
    try {
      while (!signal.aborted) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r))
        wake = null
        while (queue.length > 0 && !signal.aborted) yield queue.shift()!
      }
    } finally {
      this.#subscribers.delete(sub)
      signal.removeEventListener('abort', onAbort)
    }
  }

  #subscribed(level: Level): boolean {
    const rank = levelRank(level)
    for (const s of this.#subscribers) if (rank >= s.min) return true
    return false
  }

  #passes(subsystem: string, level: Level): boolean {
    return levelRank(level) >= levelRank(this.#levels.get(subsystem) ?? this.#default)
  }

  #write(subsystem: string, level: Level, msg: string, fields?: Record<string, unknown>): void {
    const toSinks = this.#passes(subsystem, level)
    const rank = levelRank(level)
    if (!toSinks && !this.#subscribed(level)) return
    const entry: LogEntry = { ts: new Date().toISOString(), level, subsystem, msg, ...(fields ? { fields } : {}) }
    if (toSinks) for (const sink of this.#sinks) sink(entry)
    for (const s of this.#subscribers) if (rank >= s.min) s.push(entry)
  }
}
