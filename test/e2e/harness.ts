/** Drives the built `petal` binary in temp repos: CLI runs, a node on a free port, raw HTTP and websockets. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'

/** The binary built by test/global-setup.ts. */
export const binary = (): string => inject('petalBinary')

/** A fresh temp dir; remove it with `cleanup`. */
export function tempDir(prefix = 'petal-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Environment for the binary: no inherited PETAL_* and no node_modules on the PATH. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/usr/bin:/bin', HOME: tmpdir(), ...extra }
}

/** Runs the CLI to completion. */
export function cli(args: string[], env: Record<string, string> = {}, cwd?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(binary(), args, { env: cleanEnv(env), cwd, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** A node started with `petal run` on a free port. */
export interface TestNode {
  proc: ChildProcess
  url: string
  repo: string
  /** The admin token the node wrote into the repo. */
  token: string
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
  /** POSTs a JSON-RPC call with `token` (admin by default) and returns the parsed body. */
  rpc(method: string, params?: unknown[], token?: string | null): Promise<any>
}

/** Starts `petal run --repo <repo> --listen 127.0.0.1:0` and waits until it prints its address. */
export async function startNode(repo: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<TestNode> {
  const proc = spawn(binary(), ['run', '--repo', repo, '--listen', '127.0.0.1:0', ...extraArgs], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  proc.stdout!.on('data', (d) => (out += d))
  proc.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start:\n${out}\n${err}`)), 30_000)
    const check = () => {
      const m = out.match(/API:\s+(http:\/\/[^/\s]+)/)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    proc.stdout!.on('data', check)
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`node exited early:\n${out}\n${err}`))
    })
  })
  const token = readFileSync(join(repo, 'token'), 'utf8').trim()
  const rpc = async (method: string, params: unknown[] = [], tok: string | null = token) => {
    const res = await fetch(`${url}/rpc/v0`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
    return { status: res.status, ...(await res.json()) }
  }
  return { proc, url, repo, token, stdout: () => out, stderr: () => err, exited, rpc }
}

/** Stops a node with SIGTERM and waits for it. */
export async function stopNode(node: TestNode): Promise<number | null> {
  if (node.proc.exitCode === null) node.proc.kill('SIGTERM')
  return node.exited
}
