/**
 * Client import throughput: `petal client import` (UnixFS DAG into a ref-CARv2, leaves as references) on a
 * random file of BENCH_IMPORT_MIB MiB (default 1024), side by side with `ipfs-car pack --no-wrap` (the
 * reference, which copies every byte into its CAR), each in its own process timed by /usr/bin/time for peak
 * RSS. The limit is the SHA-256 rate (openssl, one core): an import hashes every byte once.
 */
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { randomFillSync } from 'node:crypto'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { opensslSha256Rate, printTable, writeResult, type Row } from './lib/report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MIB = Number(process.env.BENCH_IMPORT_MIB ?? 1024)
const IPFS_CAR = join(ROOT, 'node_modules/ipfs-car/bin.js')

/** Runs a command under /usr/bin/time -v (its report to a file): wall seconds, peak RSS bytes, stdout. */
async function timed(dir: string, cmd: string[]): Promise<{ seconds: number; rss: number; stdout: string }> {
  const report = join(dir, 'time.txt')
  const t = performance.now()
  const child = spawn('/usr/bin/time', ['-v', '-o', report, ...cmd], { stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve))
  const seconds = (performance.now() - t) / 1000
  const text = readFileSync(report, 'utf8')
  const exit = text.match(/Exit status: (\d+)/)
  if (status !== 0 && exit?.[1] !== '0') throw new Error(`${cmd.join(' ')} failed (status ${status}): ${text}`)
  const m = text.match(/Maximum resident set size \(kbytes\): (\d+)/)
  return { seconds, rss: m ? Number(m[1]) * 1024 : NaN, stdout }
}

/** Imports one random file with petal (both layouts) and ipfs-car, and prints the table. */
export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'petal-bench-import-'))
  try {
    const file = join(dir, 'data.bin')
    const fd = openSync(file, 'w')
    const chunk = new Uint8Array(8 << 20)
    for (let done = 0; done < MIB << 20; done += chunk.length) writeSync(fd, randomFillSync(chunk))
    closeSync(fd)
    const size = statSync(file).size
    execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 }) // page cache warm
    const repo = join(dir, 'repo')
    execFileSync(process.execPath, [join(ROOT, 'src/main.ts'), 'init', '--repo', repo], { stdio: 'ignore' })

    const petal = await timed(dir, [process.execPath, join(ROOT, 'src/main.ts'), 'client', 'import', file, '--json', '--repo', repo])
    const { id, root } = JSON.parse(petal.stdout) as { id: number; root: string }
    const refCar = statSync(join(repo, 'imports', `${id}.car`)).size
    const lotus = await timed(dir, [process.execPath, join(ROOT, 'src/main.ts'), 'client', 'import', file, '--layout', 'lotus', '--json', '--repo', repo])
    const lotusCar = statSync(join(repo, 'imports', `${JSON.parse(lotus.stdout).id}.car`)).size
    const ref = await timed(dir, ['node', IPFS_CAR, 'pack', file, '--no-wrap', '--output', join(dir, 'ipfs-car.car')])
    const refRoot = ref.stdout.trim()
    const sha = opensslSha256Rate(2)

    const mbps = (s: number) => size / s / 1e6
    const threads = Math.min(2, availableParallelism())
    const rows: Row[] = [
      { tool: 'petal client import (ipfs-car layout)', 'MB/s': mbps(petal.seconds), 'CAR bytes': refCar, 'CAR % of file': (refCar / size) * 100, 'peak RSS MiB': petal.rss / 2 ** 20, root },
      { tool: 'petal client import --layout lotus (blake2b)', 'MB/s': mbps(lotus.seconds), 'CAR bytes': lotusCar, 'CAR % of file': (lotusCar / size) * 100, 'peak RSS MiB': lotus.rss / 2 ** 20, root: JSON.parse(lotus.stdout).root },
      { tool: 'ipfs-car pack --no-wrap (node)', 'MB/s': mbps(ref.seconds), 'CAR bytes': statSync(join(dir, 'ipfs-car.car')).size, 'CAR % of file': (statSync(join(dir, 'ipfs-car.car')).size / size) * 100, 'peak RSS MiB': ref.rss / 2 ** 20, root: refRoot },
      { tool: 'limit: openssl sha256, one core', 'MB/s': sha === null ? null : sha / 1e6, 'CAR bytes': null, 'CAR % of file': null, 'peak RSS MiB': null, root: null },
    ]
    printTable(rows)
    const ratios = {
      'petal / ipfs-car throughput (target ≥ 5)': ref.seconds / petal.seconds,
      'ref-CAR % of file (target < 0.1)': (refCar / size) * 100,
      'petal peak RSS MiB (target < 150)': petal.rss / 2 ** 20,
      'petal / sha256 limit (one core)': sha === null ? null : mbps(petal.seconds) / (sha / 1e6),
    // petal hashes on two threads (the caller and one worker), so two cores' worth is its ceiling.
    [`petal / sha256 × ${threads} threads`]: sha === null ? null : mbps(petal.seconds) / ((threads * sha) / 1e6),
      'same root as ipfs-car': root === refRoot,
    }
    console.log(ratios)
    writeResult('import', { sizeBytes: size, rows, ratios })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
