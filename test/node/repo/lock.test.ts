import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireLock } from '../../../src/node/repo/lock.ts'

const LOCK_MODULE = resolve(import.meta.dirname, '../../../src/node/repo/lock.ts')
const dirs: string[] = []
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'petal-lock-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A child process that takes the lock, reports, holds it for `holdMs`, then exits without releasing. */
function holder(lockPath: string, holdMs: number) {
  const script = `
    const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)})
    try { acquireLock(${JSON.stringify(lockPath)}, 'r'); console.log('locked') }
    catch (e) { console.log(e.code); process.exit(0) }
    await new Promise((r) => setTimeout(r, ${holdMs}))`
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
}

const firstLine = (child: ReturnType<typeof spawn>) =>
  new Promise<string>((r) => child.stdout!.once('data', (d) => r(String(d).trim())))

describe('the repo lock', () => {
  it('fails at once with the pid of a live holder in another process', async () => {
    const path = join(temp(), 'repo.lock')
    const child = holder(path, 10_000)
    try {
      expect(await firstLine(child)).toBe('locked')
      expect(() => acquireLock(path, 'r')).toThrow(expect.objectContaining({ code: 'E_REPO_LOCKED', pid: child.pid }))
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('takes over a stale lock left by a killed process and says whose it was', async () => {
    const path = join(temp(), 'repo.lock')
    const child = holder(path, 10_000)
    expect(await firstLine(child)).toBe('locked')
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(readFileSync(path, 'utf8').trim()).toBe(String(child.pid))
    const lock = acquireLock(path, 'r')
    expect(lock.tookOverFrom).toBe(child.pid)
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid))
    lock.release()
  })

  it('lets exactly one of several racing processes take over the same stale lock', async () => {
    const path = join(temp(), 'repo.lock')
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
    writeFileSync(path, `${dead.stdout.trim()}\n`)
    const racers = Array.from({ length: 4 }, () => holder(path, 1500))
    const results = await Promise.all(racers.map(firstLine))
    expect(results.filter((r) => r === 'locked')).toHaveLength(1)
    expect(results.filter((r) => r === 'E_REPO_LOCKED')).toHaveLength(3)
    racers.forEach((c) => c.kill('SIGKILL'))
  })

  it('releases only a lock it still owns', () => {
    const path = join(temp(), 'repo.lock')
    const lock = acquireLock(path, 'r')
    writeFileSync(path, '1\n')
    lock.release()
    expect(readFileSync(path, 'utf8')).toBe('1\n')
  })
})
