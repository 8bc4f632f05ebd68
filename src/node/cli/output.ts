/** Output helpers shared by every CLI command: JSON, aligned tables and human sizes. */

/** Prints `value` as pretty JSON on stdout; bigints become decimal strings. */
export function printJson(value: unknown): void {
  process.stdout.write(`${toJson(value)}\n`)
}

/** JSON with bigint support (as decimal strings) and two-space indentation. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)
}

/** Prints rows as left-aligned columns separated by two spaces, the way lotus lists print. */
export function printTable(header: string[] | null, rows: Array<Array<string | number | bigint>>): void {
  const all = header ? [header, ...rows.map((r) => r.map(String))] : rows.map((r) => r.map(String))
  const widths: number[] = []
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)))
  for (const row of all) {
    const line = row.map((cell, i) => (i === row.length - 1 ? String(cell) : String(cell).padEnd(widths[i]))).join('  ')
    process.stdout.write(`${line}\n`)
  }
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** 1536 → "1.5 KiB"; exact powers print without decimals ("32 GiB"). */
export function formatBytes(n: number | bigint): string {
  let v = Number(n)
  let u = 0
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024
    u++
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${UNITS[u]}`
}
