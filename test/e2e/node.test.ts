import { connect } from 'node:net'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, cli, startNode, stopNode, tempDir, type TestNode } from './harness.ts'

describe('a running node, driven through the binary', () => {
  let dir: string
  let repo: string
  let node: TestNode

  beforeAll(async () => {
    dir = tempDir()
    repo = join(dir, 'repo')
    expect(cli(['init', '--repo', repo]).code).toBe(0)
    node = await startNode(repo)
  })

  afterAll(async () => {
    await stopNode(node)
    cleanup(dir)
  })

  it('prints its API address and how to get a token on start', () => {
    expect(node.stdout()).toContain('petal auth api-info --perm admin')
    expect(readFileSync(join(repo, 'api'), 'utf8')).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/http$/)
  })

  it('answers Filecoin.Version in Lotus shape', async () => {
    const r = await node.rpc('Filecoin.Version')
    expect(r.result).toMatchObject({ Version: expect.stringMatching(/^\d+\.\d+\.\d+\+git\./), APIVersion: expect.any(Number), BlockDelay: 30 })
  })

  it('enforces token permissions: 401 without or with a forged token, an RPC error without the permission', async () => {
    expect((await node.rpc('Filecoin.Version', [], null)).status).toBe(401)
    expect((await node.rpc('Filecoin.Version', [], `${node.token}x`)).status).toBe(401)
    const read = cli(['auth', 'create-token', '--repo', repo, '--perm', 'read']).stdout.trim()
    expect((await node.rpc('Filecoin.AuthVerify', [read], read)).result).toEqual(['read'])
    const denied = await node.rpc('Filecoin.AuthNew', [['read']], read)
    expect(denied.error).toMatchObject({ code: 3, data: { code: 'E_PERMISSION_DENIED' } })
    const made = await node.rpc('Filecoin.AuthNew', [['read', 'write']])
    const token = Buffer.from(made.result, 'base64').toString()
    expect((await node.rpc('Filecoin.AuthVerify', [token])).result).toEqual(['read', 'write'])
  })

  it('prints PETAL_API_INFO that other commands can use', () => {
    const line = cli(['auth', 'api-info', '--repo', repo, '--perm', 'write']).stdout.trim()
    expect(line).toMatch(/^PETAL_API_INFO=[\w-]+\.[\w-]+\.[\w-]+:\/ip4\/127\.0\.0\.1\/tcp\/\d+\/http$/)
    const list = cli(['log', 'list', '--json'], { PETAL_API_INFO: line.slice('PETAL_API_INFO='.length) })
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout)).toContain('node')
  })

  it('answers malformed JSON with -32700 and an unknown method with -32601', async () => {
    const res = await fetch(`${node.url}/rpc/v0`, { method: 'POST', headers: { authorization: `Bearer ${node.token}` }, body: '{"jsonrpc":' })
    expect(await res.json()).toMatchObject({ error: { code: -32700 } })
    expect((await node.rpc('Filecoin.Nope')).error.code).toBe(-32601)
  })

  it('answers a batch', async () => {
    const res = await fetch(`${node.url}/rpc/v0`, {
      method: 'POST',
      headers: { authorization: `Bearer ${node.token}` },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'Filecoin.Session' },
        { jsonrpc: '2.0', id: 2, method: 'Filecoin.Version' },
      ]),
    })
    const body = await res.json()
    expect(body.map((r: { id: number }) => r.id)).toEqual([1, 2])
    expect(body[0].result).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('changes log levels through the CLI and rejects unknown subsystems with a one-line coded error', () => {
    expect(cli(['log', 'set-level', '--repo', repo, 'rpc', 'debug']).stdout).toBe('rpc: debug\n')
    const bad = cli(['log', 'set-level', '--repo', repo, 'nope', 'debug'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toBe("petal: E_LOG_UNKNOWN_SUBSYSTEM: unknown log subsystem 'nope' (see 'petal log list')\n")
  })

  it('streams log entries over a websocket channel and closes the channel on xrpc.cancel', async () => {
    const ws = new WebSocket(`${node.url.replace('http', 'ws')}/rpc/v0?token=${node.token}`)
    const msgs: any[] = []
    ws.onmessage = (e) => msgs.push(JSON.parse(String(e.data)))
    await new Promise((r) => (ws.onopen = r))
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'Filecoin.LogSubscribe', params: ['debug'] }))
    const until = async (cond: () => boolean) => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10))
      expect(cond()).toBe(true)
    }
    await until(() => msgs.some((m) => m.id === 1))
    const chan = msgs.find((m) => m.id === 1).result
    await node.rpc('Filecoin.Version')
    await until(() => msgs.some((m) => m.method === 'xrpc.ch.val' && m.params[1].msg === 'call' && m.params[1].fields?.method === 'Filecoin.Version'))
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'xrpc.cancel', params: [1] }))
    await until(() => msgs.some((m) => m.method === 'xrpc.ch.close' && m.params[0] === chan))
    ws.close()
  })

  it('tails logs through `petal log tail`, which rides the websocket channel', async () => {
    const { spawn } = await import('node:child_process')
    const { binary, cleanEnv } = await import('./harness.ts')
    const tail = spawn(binary(), ['log', 'tail', '--repo', repo, '--json', '--level', 'debug'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    tail.stdout.on('data', (d) => (out += d))
    try {
      for (let i = 0; i < 300 && !out.includes('"method":"Filecoin.Session"'); i++) {
        await node.rpc('Filecoin.Session')
        await new Promise((r) => setTimeout(r, 20))
      }
      const line = out.split('\n').find((l) => l.includes('"method":"Filecoin.Session"'))!
      expect(JSON.parse(line)).toMatchObject({ level: 'debug', subsystem: 'rpc', msg: 'call', method: 'Filecoin.Session', outcome: 'ok' })
    } finally {
      tail.kill('SIGINT')
    }
  })

  it('prints the default and the effective config', () => {
    expect(cli(['config', 'default']).stdout).toContain('#listen = "127.0.0.1:1234"')
    expect(JSON.parse(cli(['config', 'show', '--repo', repo, '--json']).stdout).api).toMatchObject({ listen: '127.0.0.1:1234', timeout: 60000 })
  })

  it('refuses a websocket without a token', async () => {
    const res = await fetch(`${node.url}/rpc/v0`, { headers: { upgrade: 'websocket', connection: 'upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } })
    expect(res.status).toBe(401)
  })

  it('serves health and Prometheus metrics', async () => {
    expect(await (await fetch(`${node.url}/health/livez`)).text()).toBe('ok')
    expect((await fetch(`${node.url}/health/readyz`)).status).toBe(200)
    const metrics = await (await fetch(`${node.url}/debug/metrics`)).text()
    expect(metrics).toContain('petal_rpc_calls_total{method="Filecoin.Version",code="ok"}')
    expect(metrics).toMatch(/petal_db_size_bytes \d+/)
    expect(metrics).toMatch(/petal_process_resident_memory_bytes \d+/)
  })

  it('fails a second node on the same repo at once, naming the holder pid', () => {
    const second = cli(['run', '--repo', repo, '--listen', '127.0.0.1:0'])
    expect(second.code).toBe(1)
    expect(second.stderr).toBe(`petal: E_REPO_LOCKED: repo ${repo} is locked by running process ${node.proc.pid}\n`)
  })
})

describe('node lifecycle', () => {
  it('takes over a stale lock after the node was killed', async () => {
    const dir = tempDir()
    try {
      const repo = join(dir, 'repo')
      const first = await startNode(repo)
      first.proc.kill('SIGKILL')
      await first.exited
      expect(existsSync(join(repo, 'repo.lock'))).toBe(true)
      const second = await startNode(repo)
      expect((await second.rpc('Filecoin.Version')).result.BlockDelay).toBe(30)
      expect(second.stderr()).toContain(`"msg":"took over stale repo lock","pid":${first.proc.pid}`)
      expect(await stopNode(second)).toBe(0)
    } finally {
      cleanup(dir)
    }
  })

  it('finishes a request in flight on SIGTERM, then exits cleanly and releases the repo', async () => {
    const dir = tempDir()
    try {
      const repo = join(dir, 'repo')
      const node = await startNode(repo)
      const { port } = new URL(node.url)
      const body = JSON.stringify({ jsonrpc: '2.0', id: 42, method: 'Filecoin.Version', params: [] })
      const sock = connect(Number(port), '127.0.0.1')
      await new Promise((r) => sock.once('connect', r))
      let response = ''
      sock.on('data', (d) => (response += d))
      sock.write(`POST /rpc/v0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${node.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`)
      await new Promise((r) => setTimeout(r, 200))
      node.proc.kill('SIGTERM')
      await new Promise((r) => setTimeout(r, 300))
      sock.write(body.slice(10))
      const code = await node.exited
      for (let i = 0; i < 100 && !response.includes('"id":42'); i++) await new Promise((r) => setTimeout(r, 10))
      sock.destroy()
      expect(response).toMatch(/^HTTP\/1\.1 200/)
      expect(response).toContain('"id":42')
      expect(code).toBe(0)
      expect(existsSync(join(repo, 'repo.lock'))).toBe(false)
      expect(existsSync(join(repo, 'api'))).toBe(false)
      expect(node.stderr()).toContain('"msg":"node stopped"')
    } finally {
      cleanup(dir)
    }
  })

  it('answers 413 for a body over [api] max_body', async () => {
    const dir = tempDir()
    try {
      const repo = join(dir, 'repo')
      expect(cli(['init', '--repo', repo]).code).toBe(0)
      writeFileSync(join(repo, 'config.toml'), '[api]\nmax_body = "1KiB"\n')
      const node = await startNode(repo)
      const res = await fetch(`${node.url}/rpc/v0`, { method: 'POST', headers: { authorization: `Bearer ${node.token}` }, body: 'x'.repeat(4096) })
      expect(res.status).toBe(413)
      expect((await node.rpc('Filecoin.Version')).result).toBeDefined()
      await stopNode(node)
    } finally {
      cleanup(dir)
    }
  })

  it('stops through `petal stop`', async () => {
    const dir = tempDir()
    try {
      const repo = join(dir, 'repo')
      const node = await startNode(repo)
      const r = cli(['stop', '--repo', repo])
      expect(r.stdout).toBe('node stopped\n')
      expect(await node.exited).toBe(0)
      const again = cli(['stop', '--repo', repo])
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/^petal: E_NODE_UNREACHABLE: /)
    } finally {
      cleanup(dir)
    }
  })

  it('refuses to start with a broken config, naming the file and key', () => {
    const dir = tempDir()
    try {
      const repo = join(dir, 'repo')
      cli(['init', '--repo', repo])
      writeFileSync(join(repo, 'config.toml'), '[api]\nlisten = 1234\n')
      const r = cli(['run', '--repo', repo])
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(`petal: E_CONFIG_INVALID: ${join(repo, 'config.toml')}: [api] listen: expected a string, got 1234\n`)
      expect(existsSync(join(repo, 'repo.lock'))).toBe(false)
    } finally {
      cleanup(dir)
    }
  })
})
