/** Types of petal's structured logging. */
import type { Level } from './levels.ts'

/** One log record. */
export interface LogEntry {
  /** ISO-8601 time. */
  ts: string
  level: Level
  subsystem: string
  msg: string
  /** Structured context: ids, paths, counts. */
  fields?: Record<string, unknown>
}

/** A named logger for one subsystem. */
export interface Logger {
  readonly subsystem: string
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  /** Whether a message at `level` would be written (skip building expensive fields otherwise). */
  enabled(level: Level): boolean
}

/** Where entries go once they pass their subsystem's level. */
export type LogSink = (entry: LogEntry) => void
