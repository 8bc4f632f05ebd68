/**
 * Crash safety: a child process writes blocks through ReadWrite and is killed with SIGKILL at random
 * moments. After each kill the file is reopened: every acknowledged block must be there and verify, any
 * torn tail is cut, and writing continues; at the end the finalized CAR must verify with a matching index.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openReadOnly, openReadWrite } from '../../../src/store/blockstore/index.ts'
import { inspectCar, openFileSource } from '../../../src/store/car/index.ts'
import { tempDir } from '../car/helpers.ts'
import { CRASH_ROOT_SEED, crashBlocks } from './crash-blocks.ts'

const child = new URL('./writer-child.ts', import.meta.url).pathname
const tmp = tempDir('petal-crash-')
afterAll(tmp.cleanup)

/** Runs the writer and SIGKILLs it as soon as it acknowledges block `killAt` (it keeps writing meanwhile). */
function runAndKill(path: string, from: number, to: number, mode: string, killAt: number): Promise<{ acked: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, path, String(from), String(to), mode], { stdio: ['ignore', 'pipe', 'pipe'] })
    let acked = from - 1
    let finished = false
    let killing = false
    let stderr = ''
    let buffered = ''
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    proc.stdout.on('data', (d: Buffer) => {
      buffered += d.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('acked ')) {
          acked = Number(line.slice(6))
        }
        if (line === 'done') finished = true
      }
      if (!killing && acked >= killAt) {
        killing = true
        proc.kill('SIGKILL')
      }
    })
    proc.on('error', reject)
    proc.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`writer exited with ${code}: ${stderr}`))
      else resolve({ acked, finished })
    })
  })
}

describe('ReadWrite under SIGKILL', () => {
  it('keeps every acknowledged block across random kills and finishes a valid CAR', async () => {
    const total = 160
    const blocks = await crashBlocks(total)
    const roots = (await crashBlocks(1, CRASH_ROOT_SEED)).map((b) => b.cid)
    const path = join(tmp.dir, 'crash.car')
    let from = 0
    let interrupted = 0
    for (let round = 0; round < 5 && from < total - 40; round++) {
      const mode = ['put', 'putMany', 'putManyNative'][round % 3]
      const killAt = from + Math.floor(Math.random() * 30)
      const { acked, finished } = await runAndKill(path, from, total, mode, killAt)
      if (!finished) interrupted++
      const store = await openReadWrite(path, roots)
      for (let i = 0; i <= acked; i++) {
        expect(await store.has(blocks[i].cid), `acknowledged block ${i} survives`).toBe(true)
        expect(Buffer.from(await store.get(blocks[i].cid)).equals(Buffer.from(blocks[i].bytes))).toBe(true)
      }
      // Whatever got further than the acknowledgements is complete too (or was cut).
      let present = 0
      for (const b of blocks) if (await store.has(b.cid)) present++
      expect(present).toBeGreaterThanOrEqual(acked + 1)
      from = present
      await store.close()
    }
    const store = await openReadWrite(path, roots)
    await store.putMany(blocks)
    await store.finalize()
    await store.close()
    const r = await inspectCar(openFileSource(path))
    expect(r.verification?.ok).toBe(true)
    expect(r.blockCount).toBe(total)
    expect(r.index.matchesData).toBe(true)
    const ro = await openReadOnly(path, { checkIndex: 'full' })
    for (const b of blocks) expect(Buffer.from(await ro.get(b.cid)).equals(Buffer.from(b.bytes))).toBe(true)
    await ro.close()
    expect(interrupted).toBeGreaterThan(0)
  }, 60_000)
})
