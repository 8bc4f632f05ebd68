/**
 * `petal bench sealing` through the real CLI entry point (a child bun process) on a 2 KiB sector: every
 * phase timed, every verification true, JSON in the documented shape, coded errors for bad sizes.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const main = new URL('../../../src/main.ts', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'petal-bench-test-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function petal(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, 'bench', 'sealing', '--dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const PHASES = [
  'addPiece', 'preCommit1', 'preCommit2', 'commit1', 'commit2', 'verifySeal', 'winningPost', 'verifyWinningPost', 'windowPost',
  'verifyWindowPost', 'replicaUpdate', 'proveReplicaUpdate1', 'proveReplicaUpdate2', 'verifyReplicaUpdate', 'windowPostUpdated', 'unseal', 'unsealUpdate',
]

describe('petal bench sealing', () => {
  it('prints the documented JSON for a 2 KiB sector with TypeScript kernels, all verified, and cleans up', () => {
    const r = petal('--sector-size', '2KiB', '--json', '--no-native')
    expect(r.status).toBe(0)
    const json = JSON.parse(r.stdout)
    expect(json).toMatchObject({ sectorSize: '2KiB', native: false, verified: { porep: true, winningPost: true, windowPost: true, replicaUpdate: true, unseal: true } })
    expect(Object.keys(json.phases)).toEqual(PHASES)
    for (const s of Object.values(json.phases)) expect(typeof s === 'number' && s >= 0).toBe(true)
    expect(readdirSync(dir)).toEqual([])
  })

  it('prints a phase table and the verification results as text', () => {
    const r = petal('--sector-size', '2KiB')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('Sector size:  2KiB')
    for (const phase of PHASES) expect(r.stdout).toMatch(new RegExp(`^${phase}\\s+\\d+\\.\\d{3}$`, 'm'))
    for (const v of ['porep', 'winningPost', 'windowPost', 'replicaUpdate', 'unseal']) expect(r.stdout).toMatch(new RegExp(`^${v}\\s+ok$`, 'm'))
  })

  it('refuses sizes it does not seal with a coded error and exit 1', () => {
    for (const size of ['32GiB', '4KiB', 'big']) {
      const r = petal('--sector-size', size)
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(/^petal: E_BENCH_SECTOR_SIZE: /m)
    }
  })
})
