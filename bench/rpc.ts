/**
 * JSON-RPC throughput and latency: petal's node (real `petal run`, token auth, metrics, routing) against a
 * bare Bun.serve answering the same JSON (the ceiling), for Filecoin.Version single calls and batches of 100,
 * over HTTP keep-alive and websocket, with 1 and 64 concurrent clients. Servers run in their own processes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { percentile, printTable, writeResult, type Row } from './lib/report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)

interface Target {
  name: string
  url: string
  token?: string
  proc: ChildProcess
}

async function startPetal(): Promise<Target & { repo: string }> {
  const repo = mkdtempSync(join(tmpdir(), 'petal-bench-rpc-'))
  const proc = spawn(process.execPath, [join(ROOT, 'src/main.ts'), 'run', '--repo', repo, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const url = await firstMatch(proc, /API:\s+(http:\/\/\S+?)\/rpc/)
  return { name: 'petal', url, token: readFileSync(join(repo, 'token'), 'utf8').trim(), proc, repo }
}

async function startBare(versionJson: string): Promise<Target> {
  const proc = spawn(process.execPath, [join(ROOT, 'bench/lib/bare-rpc-server.ts'), versionJson], { stdio: ['ignore', 'pipe', 'ignore'] })
  const port = await firstMatch(proc, /^(\d+)$/m)
  return { name: 'bare Bun.serve', url: `http://127.0.0.1:${port}`, proc }
}

function firstMatch(proc: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    proc.stdout!.on('data', (d) => {
      out += d
      const m = out.match(re)
      if (m) resolve(m[1])
    })
    proc.once('exit', () => reject(new Error(`server exited: ${out}`)))
  })
}

function body(batch: number, id: number): string {
  const one = (i: number) => ({ jsonrpc: '2.0', id: i, method: 'Filecoin.Version', params: [] })
  return JSON.stringify(batch === 1 ? one(id) : Array.from({ length: batch }, (_, i) => one(id * 1000 + i)))
}

/** Runs `clients` loops for SECONDS, each sending one request and awaiting its answer; returns latencies. */
async function load(clients: number, send: (client: number, n: number) => Promise<void>): Promise<number[]> {
  const lat: number[] = []
  const end = performance.now() + SECONDS * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; performance.now() < end; n++) {
        const t = performance.now()
        await send(c, n)
        lat.push(performance.now() - t)
      }
    }),
  )
  return lat
}

async function httpScenario(t: Target, batch: number, clients: number): Promise<number[]> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(t.token ? { authorization: `Bearer ${t.token}` } : {}) }
  return load(clients, async (_c, n) => {
    const res = await fetch(`${t.url}/rpc/v0`, { method: 'POST', headers, body: body(batch, n), keepalive: true })
    const text = await res.text()
    if (res.status !== 200 || !text.includes('"result"')) throw new Error(`bad answer ${res.status}: ${text.slice(0, 100)}`)
  })
}

async function wsScenario(t: Target, batch: number, clients: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: clients }, async () => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/rpc/v0${t.token ? `?token=${t.token}` : ''}`)
      await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)))
      return ws
    }),
  )
  const lat = await load(clients, (c, n) => {
    const ws = sockets[c]
    return new Promise<void>((resolve) => {
      ws.onmessage = () => resolve()
      ws.send(body(batch, n))
    })
  })
  sockets.forEach((ws) => ws.close())
  return lat
}

export default async function run(): Promise<void> {
  const petal = await startPetal()
  const version = await (await fetch(`${petal.url}/rpc/v0`, { method: 'POST', headers: { authorization: `Bearer ${petal.token}` }, body: body(1, 1) })).json()
  const bare = await startBare(JSON.stringify(version.result))
  const rows: Row[] = []
  try {
    for (const transport of ['http', 'ws'] as const) {
      for (const batch of [1, 100]) {
        for (const clients of [1, 64]) {
          const figures: Record<string, { rps: number; p50: number; p99: number }> = {}
          for (const t of [bare, petal]) {
            const scenario = transport === 'http' ? httpScenario : wsScenario
            await scenario(t, batch, clients) // warm-up pass, discarded
            const lat = await scenario(t, batch, clients)
            figures[t.name] = { rps: lat.length / SECONDS, p50: percentile(lat, 50), p99: percentile(lat, 99) }
          }
          const p = figures.petal
          const c = figures['bare Bun.serve']
          rows.push({
            transport,
            batch,
            clients,
            'petal req/s': Math.round(p.rps),
            'petal calls/s': Math.round(p.rps * batch),
            'petal p50 ms': p.p50,
            'petal p99 ms': p.p99,
            'ceiling req/s': Math.round(c.rps),
            'ceiling p50 ms': c.p50,
            'ceiling p99 ms': c.p99,
            'ratio': p.rps / c.rps,
          })
        }
      }
    }
  } finally {
    petal.proc.kill('SIGTERM')
    bare.proc.kill('SIGTERM')
    await new Promise((r) => petal.proc.once('exit', r))
    rmSync(petal.repo, { recursive: true, force: true })
  }
  printTable(rows)
  writeResult('rpc', { secondsPerScenario: SECONDS, target: 'ratio >= 0.7', rows })
}

if (import.meta.main) await run()
