/**
 * Crash safety of PreCommit1 and PreCommit2: a file system that dies after its n-th mutating operation (the
 * write it dies in lands half-way, and nothing after it reaches the disk, not even the clean-up of the
 * phase) is tried at every n of a whole 2 KiB seal. Whatever state it leaves, the next Commit1 either fails
 * with a typed error or yields a proof that verifies; and re-running the interrupted phase on a healthy file
 * system repairs it: the golden CommD/CommR come out, the proof verifies, and no temporary file is left.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSectorStore, nodeSectorFs, type SectorFile, type SectorFs, type SectorStore } from '../../../src/proofs/layout/index.ts'
import { typescriptKernels } from '../../../src/proofs/kernels/index.ts'
import { sealPreCommit1, sealPreCommit2, writeUnsealedSector, type PreCommit1Output } from '../../../src/proofs/porep/index.ts'
import { nativeKernels } from '../native-sealing/native.ts'
import { bytesFrom, fieldBytes, hex, prove, sectorRef, tempStore, verify, type Sealed } from './seal.ts'

const GOLDEN_COMM_D = 'e7632f51fa4a32c48f5df381ebb5d5935127add891e3e10e210309f043dc593a'
const GOLDEN_COMM_R = 'cdc56ba7a02e2491a71c83c581fb60386dcb7baf5124f0c00f18661729f23020'

class Crash extends Error {
  constructor() {
    super('simulated crash')
  }
}

/** node:fs that dies at mutating operation number `at` (1-based); `ops` counts them. */
function dyingFs(at: number): SectorFs & { ops: number; dead: boolean } {
  const state = { ops: 0, dead: false }
  const step = (partial?: () => void) => {
    if (state.dead) throw new Crash()
    state.ops++
    if (state.ops === at) {
      partial?.()
      state.dead = true
      throw new Crash()
    }
  }
  const guard = () => {
    if (state.dead) throw new Crash()
  }
  const wrap = (f: SectorFile): SectorFile => ({
    size: () => f.size(),
    read: (into, position) => (guard(), f.read(into, position)),
    write: (bytes, position) => {
      step(() => f.write(bytes.subarray(0, bytes.length >>> 1), position))
      f.write(bytes, position)
    },
    sync: () => (step(), f.sync()),
    close: () => (guard(), f.close()),
  })
  return {
    openRead: (path) => (guard(), wrap(nodeSectorFs.openRead(path))),
    openWrite: (path) => (step(), wrap(nodeSectorFs.openWrite(path))),
    rename: (from, to) => (step(), nodeSectorFs.rename(from, to)),
    remove: (path) => (step(), nodeSectorFs.remove(path)),
    exists: (path) => (guard(), nodeSectorFs.exists(path)),
    mkdirp: (path) => (step(), nodeSectorFs.mkdirp(path)),
    list: (path) => (guard(), nodeSectorFs.list(path)),
    get ops() {
      return state.ops
    },
    get dead() {
      return state.dead
    },
  }
}

function tempFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...tempFiles(path))
    else if (name.endsWith('.tmp')) out.push(path)
  }
  return out
}

const root = tempStore()
afterAll(() => root.dispose())

for (const [name, kernels] of [['TypeScript', typescriptKernels], ['native', nativeKernels]] as const) {
  describe.skipIf(!kernels)(`crash during PreCommit1/2 (${name} kernels)`, () => {
    const k = kernels!
    const sector = sectorRef(1, 2048)
    const ticket = fieldBytes('ticket-1')

    /** Runs PC1 then PC2 of sector 1 in `dir` on `fs`; returns how far it got. */
    async function run(store: SectorStore): Promise<{ pc1?: PreCommit1Output; commR?: Uint8Array; error?: unknown }> {
      let pc1: PreCommit1Output | undefined
      try {
        pc1 = await sealPreCommit1(store, sector, ticket, { kernels: k })
        const { commR } = await sealPreCommit2(store, sector, pc1, { kernels: k })
        return { pc1, commR }
      } catch (error) {
        return { pc1, error }
      }
    }

    it('re-running the interrupted phase repairs a crash at every point of the seal', async () => {
      // How many mutating operations a whole seal makes.
      const counting = dyingFs(Number.POSITIVE_INFINITY)
      const countDir = join(root.root, `${name}-count`)
      await writeUnsealedSector(createSectorStore(countDir, nodeSectorFs), sector, bytesFrom('payload-1', 2032))
      expect((await run(createSectorStore(countDir, counting))).commR).toBeDefined()
      const total = counting.ops
      expect(total).toBeGreaterThan(10)

      for (let at = 1; at <= total; at++) {
        const dir = join(root.root, `${name}-crash-${at}`)
        const healthy = createSectorStore(dir, nodeSectorFs)
        await writeUnsealedSector(healthy, sector, bytesFrom('payload-1', 2032))
        const crashed = await run(createSectorStore(dir, dyingFs(at)))
        expect(crashed.error, `crash point ${at}`).toBeInstanceOf(Crash)

        // What a later Commit1 makes of the state as the crash left it: a typed refusal, never a bad proof.
        const seed = fieldBytes('seed-1')
        const partial: Sealed = { sector, ticket, payload: new Uint8Array(0), commR: new Uint8Array(32), commD: new Uint8Array(32), kernels: k }
        await expect(prove(healthy, partial, seed), `crash point ${at}`).rejects.toMatchObject({ code: expect.stringMatching(/^E_[A-Z_]+$/) })

        // Re-run the phase that was interrupted (PC1 and then PC2, or PC2 alone with PC1's output).
        const pc1 = crashed.pc1 ?? (await sealPreCommit1(healthy, sector, ticket, { kernels: k }))
        const { commR, commD } = await sealPreCommit2(healthy, sector, pc1, { kernels: k })
        expect({ at, commD: hex(commD), commR: hex(commR) }).toEqual({ at, commD: GOLDEN_COMM_D, commR: GOLDEN_COMM_R })
        const sealed: Sealed = { sector, ticket, payload: new Uint8Array(0), commR, commD, kernels: k }
        expect(verify(sealed, await prove(healthy, sealed, seed), seed)).toEqual({ valid: true })
        expect(tempFiles(dir), `crash point ${at}`).toEqual([])
        nodeSectorFs.remove(dir)
      }
    }, 120_000)
  })
}
