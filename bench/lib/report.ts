/** Shared benchmark helpers: timing, tables, JSON results, and the machine's measured limits. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

/** One row of a benchmark table: a label plus named figures. */
export type Row = Record<string, string | number | boolean | null>

/** Prints rows as a Markdown table (numbers to 3 significant digits or fewer decimals). */
export function printTable(rows: Row[]): void {
  if (rows.length === 0) return
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const cell = (v: unknown) => (typeof v === 'number' ? fmt(v) : v === null || v === undefined ? '' : String(v))
  const body = rows.map((r) => cols.map((c) => cell(r[c])))
  const widths = cols.map((c, i) => Math.max(c.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  process.stdout.write(`${line(cols)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`)
  for (const b of body) process.stdout.write(`${line(b)}\n`)
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Number.isInteger(v)) return String(v)
  const abs = Math.abs(v)
  return abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toPrecision(3)
}

/** Writes `bench/results/<name>.json` with the machine description added. */
export function writeResult(name: string, data: unknown): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const file = `${dir}${name}.json`
  const payload = { name, date: new Date().toISOString(), machine: machine(), ...(data as object) }
  writeFileSync(file, `${JSON.stringify(payload, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`)
  process.stdout.write(`\nwrote ${file}\n`)
  return file
}

/** CPU model, core count, memory, and runtime versions: enough to compare results across machines. */
export function machine(): Record<string, unknown> {
  const c = cpus()
  return {
    cpu: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    runtime: typeof Bun !== 'undefined' ? `bun ${Bun.version}` : `node ${process.version}`,
    platform: `${process.platform}-${process.arch}`,
  }
}

/** Runs `fn` `runs` times and returns the best wall time in seconds (after one warm-up when `warmup`). */
export async function bestOf(runs: number, fn: () => Promise<unknown> | unknown, warmup = false): Promise<number> {
  if (warmup) await fn()
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    best = Math.min(best, (performance.now() - t) / 1000)
  }
  return best
}

/** Percentile `p` (0..100) of a sorted-or-not sample, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

/**
 * The machine's single-core SHA-256 rate in bytes/s, from `openssl speed -evp sha256 -bytes 16384`
 * (null when openssl is missing). This is the ceiling every hashing benchmark is compared with.
 */
export function opensslSha256Rate(seconds = 3): number | null {
  try {
    const out = execFileSync('openssl', ['speed', '-seconds', String(seconds), '-evp', 'sha256', '-bytes', '16384'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    // Last line: "sha256  <rate>k" where the figure is in 1000s of bytes per second.
    const line = out.trim().split('\n').pop() ?? ''
    const m = line.match(/([\d.]+)k\s*$/)
    return m ? Number(m[1]) * 1000 : null
  } catch {
    return null
  }
}

/** Peak resident set size of this process so far, in bytes (from /proc where available). */
export function peakRss(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const m = status.match(/VmHWM:\s+(\d+) kB/)
    if (m) return Number(m[1]) * 1024
  } catch {
    // Not Linux: fall back to the current RSS, a lower bound of the peak.
  }
  return process.memoryUsage().rss
}
