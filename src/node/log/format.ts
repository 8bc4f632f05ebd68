/** Log line formats: human-readable for terminals, JSON lines for everything else. */
import type { LogEntry } from './types.ts'

const COLORS: Record<string, string> = { debug: '\x1b[90m', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' }

/** `2026-11-24T01:02:03.456Z  INFO   rpc  message  key=value`, coloured when `color`. */
export function formatHuman(e: LogEntry, color = false): string {
  const level = e.level.toUpperCase().padEnd(5)
  const lvl = color ? `${COLORS[e.level]}${level}\x1b[0m` : level
  const fields = e.fields ? Object.entries(e.fields).map(([k, v]) => `${k}=${fieldText(v)}`).join(' ') : ''
  return `${e.ts}  ${lvl}  ${e.subsystem}  ${e.msg}${fields ? `  ${fields}` : ''}`
}

/** One JSON object per line. */
export function formatJson(e: LogEntry): string {
  return JSON.stringify({ ts: e.ts, level: e.level, subsystem: e.subsystem, msg: e.msg, ...e.fields }, jsonReplacer)
}

function fieldText(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v
  if (v instanceof Error) return JSON.stringify(v.message)
  return JSON.stringify(v, jsonReplacer) ?? String(v)
}

function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof Error) return { name: v.name, message: v.message, code: (v as { code?: unknown }).code }
  if (v && typeof v === 'object' && typeof (v as { toString?: unknown }).toString === 'function' && (v as object).constructor?.name === 'CID') return String(v)
  return v
}
