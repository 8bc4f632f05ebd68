/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all when none are named). Each `bench/<name>.ts`
 * exports `default async function (): Promise<void>` that prints its table and writes
 * `bench/results/<name>.json` through ./lib/report.ts.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.slice(0, -3))
  .sort()

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const unknown = wanted.filter((w) => !available.includes(w))
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`)
  process.exit(2)
}
for (const name of wanted.length > 0 ? wanted : available) {
  process.stdout.write(`\n## ${name}\n\n`)
  const mod = (await import(`./${name}.ts`)) as { default: () => Promise<void> }
  await mod.default()
}
