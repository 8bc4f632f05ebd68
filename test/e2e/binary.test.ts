import { spawn } from 'node:child_process'
import { copyFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { binary, cleanup, tempDir } from './harness.ts'

describe('the single binary', () => {
  it('runs alone in an empty directory: ./petal init && ./petal run', async () => {
    const dir = tempDir('petal-alone-')
    try {
      copyFileSync(binary(), join(dir, 'petal'))
      const env = { HOME: dir, PATH: '/nonexistent' }
      const script = './petal init && exec ./petal run --listen 127.0.0.1:0'
      const proc = spawn('/bin/sh', ['-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      proc.stdout.on('data', (d) => (out += d))
      for (let i = 0; i < 300 && !/API:\s+http/.test(out); i++) await new Promise((r) => setTimeout(r, 50))
      const url = out.match(/API:\s+(http:\/\/\S+?)\/rpc/)?.[1]
      expect(out).toContain(`initialized petal repo at ${join(dir, '.petal')}`)
      expect(url).toBeDefined()
      expect((await fetch(`${url}/health/readyz`)).status).toBe(200)
      proc.kill('SIGTERM')
      expect(await new Promise((r) => proc.once('exit', r))).toBe(0)
      expect(readdirSync(dir).sort()).toEqual(['.petal', 'petal'])
    } finally {
      cleanup(dir)
    }
  })

  it('prints its version, commit, runtime and platform', async () => {
    const { cli } = await import('./harness.ts')
    const r = cli(['version', '--json'])
    expect(JSON.parse(r.stdout)).toMatchObject({ version: expect.any(String), commit: expect.not.stringMatching(/^dev$/), runtime: expect.stringMatching(/^bun /), platform: `${process.platform}-${process.arch}` })
  })

  it('prints help for every command and exits 2 on usage errors', async () => {
    const { cli } = await import('./harness.ts')
    const help = cli(['auth', 'create-token', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--perm')
    const bad = cli(['auth', 'create-token', '--perm', 'root'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^petal: E_USAGE: /m)
  })
})
