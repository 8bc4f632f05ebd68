/**
 * Sealing phases per sector size, native and TypeScript, in one run: each configuration runs
 * `petal bench sealing --json` in its own process (so peak memory and JIT state do not leak between them)
 * and reports PreCommit1 seconds per MiB, PreCommit2, Commit1, Window PoSt per sector and verification.
 * The limit is the machine's SHA-256 compression rate (openssl, one core) times the compressions labelling
 * needs: 20 per label (1248 bytes of message), one label per node per layer.
 *
 *   npm run bench -- seal                  # 8 MiB
 *   BENCH_SEAL_SIZES=8MiB,512MiB npm run bench -- seal
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { LABEL_COMPRESSIONS } from '../src/proofs/sdr/label.ts'
import { parseSectorSize, sectorParams } from '../src/proofs/sector/index.ts'
import { machine, opensslSha256Rate, printTable, writeResult, type Row } from './lib/report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SIZES = (process.env.BENCH_SEAL_SIZES ?? '8MiB').split(',')

interface BenchJson {
  sectorSize: string
  native: boolean
  phases: Record<string, number>
  verified: Record<string, boolean>
}

function run(size: string, native: boolean): BenchJson {
  const args = [join(ROOT, 'src/main.ts'), 'bench', 'sealing', '--sector-size', size, '--json', ...(native ? [] : ['--no-native'])]
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 })) as BenchJson
}

const sha = opensslSha256Rate(2)
const compressionsPerSecond = sha === null ? null : sha / 64
const rows: Row[] = []
for (const size of SIZES) {
  const params = sectorParams(parseSectorSize(size))
  const mib = params.sectorSize / 2 ** 20
  const compressions = params.nodes * params.layers * LABEL_COMPRESSIONS
  const limitSeconds = compressionsPerSecond === null ? null : compressions / compressionsPerSecond
  for (const native of [true, false]) {
    const r = run(size, native)
    const p = r.phases
    rows.push({
      size,
      path: r.native ? 'native' : native ? 'native requested, TypeScript ran (no native kernels)' : 'TypeScript',
      'PC1 s/MiB': p.preCommit1 / mib,
      'PC2 s': p.preCommit2,
      'C1 s': p.commit1,
      'WindowPoSt s/sector': p.windowPost,
      'verify PoRep s': p.verifySeal,
      'labelling limit s': limitSeconds,
      'PC1 of limit': limitSeconds === null ? null : limitSeconds / p.preCommit1,
      'all verified': Object.values(r.verified).every(Boolean),
    })
  }
}
printTable(rows)
const file = writeResult('seal', { name: 'seal', date: new Date().toISOString(), machine: machine(), opensslSha256BytesPerSecond: sha, labelCompressions: LABEL_COMPRESSIONS, rows })
console.log(`wrote ${file}`)
