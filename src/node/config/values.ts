/** Parsing of config values: durations ("30s", "1h30m"), sizes ("16MiB", 1024), and checks per type. */
import type { KeySpec } from './schema.ts'

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 }

/** "1h30m" → 5400000 ms; null when malformed. */
export function parseDuration(text: string): number | null {
  const parts = text.trim().match(/^(\d+(?:\.\d+)?(?:ms|s|m|h))+$/)
  if (!parts) return text.trim() === '0' ? 0 : null
  let total = 0
  for (const m of text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]]
  return Math.round(total)
}

/** "16MiB" → 16777216; integers pass through; null when malformed. */
export function parseSize(value: string | number): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null
  const m = value.trim().match(/^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/)
  if (!m) return null
  const unit = SIZE_UNITS[m[2].toLowerCase()]
  return unit === undefined ? null : Math.round(Number(m[1]) * unit)
}

/** Checks and converts one value; returns an error text (without the key name) when it does not fit. */
export function convertValue(spec: KeySpec, value: unknown): { value: unknown } | { error: string } {
  const t = spec.type
  switch (t.kind) {
    case 'string':
      return typeof value === 'string' ? { value } : { error: `expected a string, got ${describe(value)}` }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: `expected true or false, got ${describe(value)}` }
    case 'integer': {
      const n = typeof value === 'bigint' ? Number(value) : value
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return { error: `expected an integer, got ${describe(value)}` }
      if (t.min !== undefined && n < t.min) return { error: `must be at least ${t.min}, got ${n}` }
      if (t.max !== undefined && n > t.max) return { error: `must be at most ${t.max}, got ${n}` }
      return { value: n }
    }
    case 'duration': {
      const ms = typeof value === 'string' ? parseDuration(value) : null
      return ms === null ? { error: `expected a duration like "30s" or "5m", got ${describe(value)}` } : { value: ms }
    }
    case 'bytes': {
      const n = typeof value === 'string' || typeof value === 'number' ? parseSize(value) : null
      return n === null ? { error: `expected a size like "16MiB" or a byte count, got ${describe(value)}` } : { value: n }
    }
    case 'enum':
      return typeof value === 'string' && t.values.includes(value) ? { value } : { error: `expected one of ${t.values.join(', ')}, got ${describe(value)}` }
    case 'table': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `expected a table, got ${describe(value)}` }
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string' || !t.values.includes(v)) return { error: `${k}: expected one of ${t.values.join(', ')}, got ${describe(v)}` }
      }
      return { value: { ...value } }
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return 'an array'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'a table'
  return String(value)
}
