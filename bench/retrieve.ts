/**
 * `petal client retrieve` throughput over loopback: a file of BENCH_RETRIEVE_MIB MiB (default 256) served by
 * petal's trustless gateway in its own process, fetched as `?format=car&dag-scope=all` by
 *  - a client that only drains the body (the limit: the gateway's raw CAR rate over loopback),
 *  - @ipld/car's CarBlockIterator with a sha-256 check per block (the reference verifying reader),
 *  - petal's retrieve (CAR parse, verifyDag, write-through into a ReadWrite CARv2, finalize),
 *  - the same plus `--out` (the file bytes written out from the CARv2).
 * Also reports the machine's one-core sha-256 rate (openssl), since verification hashes every byte.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CarBlockIterator } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { retrieve } from '../src/node/retrieve/index.ts'
import { machine, opensslSha256Rate, printTable, writeResult, type Row } from './lib/report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MIB = Number(process.env.BENCH_RETRIEVE_MIB ?? 256)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const ACCEPT = 'application/vnd.ipld.car;version=1;order=dfs;dups=n'

function startServer(): Promise<{ url: string; root: CID; stop(): void }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bench/lib/retrieve-gateway-server.ts'), String(MIB)], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', (d) => {
      out += d
      const m = out.match(/^(\d+) (\S+)\n/)
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, root: CID.parse(m[2]), stop: () => proc.kill() })
    })
    proc.once('exit', (code) => reject(new Error(`gateway server exited with ${code}: ${out}`)))
  })
}

async function best(fn: () => Promise<number>): Promise<{ seconds: number; bytes: number }> {
  let seconds = Infinity
  let bytes = 0
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    bytes = await fn()
    seconds = Math.min(seconds, (performance.now() - t) / 1000)
  }
  return { seconds, bytes }
}

export default async function (): Promise<void> {
  const server = await startServer()
  const url = `${server.url}/ipfs/${server.root}?format=car&dag-scope=all`
  const tmp = mkdtempSync(join(tmpdir(), 'petal-bench-retrieve-'))
  const size = MIB * 2 ** 20
  try {
    const results: Record<string, { seconds: number; bytes: number }> = {}
    results['raw CAR body (limit)'] = await best(async () => {
      const res = await fetch(url, { headers: { accept: ACCEPT } })
      let n = 0
      for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) n += c.length
      return n
    })
    results['@ipld/car + sha-256 per block'] = await best(async () => {
      const res = await fetch(url, { headers: { accept: ACCEPT } })
      let n = 0
      for await (const b of await CarBlockIterator.fromIterable(res.body as unknown as AsyncIterable<Uint8Array>)) {
        const digest = createHash('sha256').update(b.bytes).digest()
        if (!Buffer.from(b.cid.multihash.digest).equals(digest)) throw new Error(`hash mismatch at ${b.cid}`)
        n += b.bytes.length
      }
      return n
    })
    let run = 0
    results['petal retrieve (verify + CARv2)'] = await best(async () => {
      const res = await retrieve({ root: server.root, provider: server.url }, { dir: join(tmp, `r${run++}`) })
      return res.fetchedBytes
    })
    results['petal retrieve + --out file'] = await best(async () => {
      const dir = join(tmp, `r${run++}`)
      const res = await retrieve({ root: server.root, provider: server.url }, { dir, target: { path: join(dir, 'out.bin'), car: false } })
      return res.fetchedBytes
    })
    const sha = opensslSha256Rate()
    const limit = results['raw CAR body (limit)']
    const rows: Row[] = Object.entries(results).map(([name, r]) => ({
      client: name,
      'MiB/s': Math.round(size / 2 ** 20 / r.seconds),
      'of raw': `${Math.round((limit.seconds / r.seconds) * 100)}%`,
      seconds: Number(r.seconds.toFixed(3)),
    }))
    rows.push({ client: 'openssl sha-256, one core', 'MiB/s': sha === null ? null : Math.round(sha / 2 ** 20), 'of raw': '', seconds: null })
    printTable(rows)
    writeResult('retrieve', { machine: machine(), mib: MIB, runs: RUNS, rows })
  } finally {
    server.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}
