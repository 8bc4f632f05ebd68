/**
 * Loading libpetal through bun:ffi: mode selection, status, what happens when the library is missing or
 * built for another ABI (in child processes, since a process opens the library once), and the worker pool.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { activeTreeHasher, getProofsNative, typescriptTreeHasher } from '../../../../src/proofs/index.ts'
import { findCompiler } from '../../../../scripts/native.ts'
import {
  installNative,
  locateLibrary,
  nativeStatus,
  openSubtreePool,
  parseNativeMode,
  setNativeMode,
} from '../../../../src/node/runtime/native/index.ts'
import { codeOf, codeOfAsync, hex } from '../../../proofs/helpers.ts'

const RUNTIME = resolve(import.meta.dirname, '../../../../src/node/runtime/native/index.ts')
const available = !('reason' in locateLibrary())
const dir = mkdtempSync(join(tmpdir(), 'petal-native-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs a snippet in a fresh process with `env`, returning what it printed as JSON. */
function inChild(code: string, env: Record<string, string>): unknown {
  const script = `const n = await import(${JSON.stringify(RUNTIME)}); ${code}`
  const out = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`)
  return JSON.parse(out.stdout)
}

describe('native mode', () => {
  it('parses auto, on and off and rejects anything else with E_NATIVE_MODE_INVALID', () => {
    expect(parseNativeMode(' ON ')).toBe('on')
    expect(parseNativeMode('off')).toBe('off')
    expect(codeOf(() => parseNativeMode('fast'))).toBe('E_NATIVE_MODE_INVALID')
  })

  it.skipIf(!available)('runs commP natively in auto mode and says which SHA-256 and library', () => {
    const status = setNativeMode('auto')
    expect(status.active).toBe(true)
    expect(status.library).toMatch(/libpetal-/)
    expect(['sha-ni', 'portable']).toContain(status.sha)
    expect(getProofsNative()).not.toBeNull()
    expect(activeTreeHasher().name).toBe(`native:${status.sha}`)
    expect(nativeStatus()).toEqual(status)
  })

  it('switches to the TypeScript path when set off, and back', () => {
    const off = setNativeMode('off')
    expect(off).toMatchObject({ active: false, mode: 'off', sha: 'typescript' })
    expect(getProofsNative()).toBeNull()
    expect(activeTreeHasher()).toBe(typescriptTreeHasher)
    expect(setNativeMode('auto').active).toBe(available)
  })

  it('falls back with a reason in auto mode, and refuses in on mode, when the library is missing', () => {
    const missing = { PETAL_NATIVE_LIBRARY: join(dir, 'nope.so') }
    const auto = inChild(`console.log(JSON.stringify(n.nativeStatus()))`, { ...missing, PETAL_NATIVE: 'auto' }) as { active: boolean; reason: string }
    expect(auto.active).toBe(false)
    expect(auto.reason).toMatch(/nope\.so does not exist/)
    const on = inChild(`try { n.installNative(); console.log('null') } catch (e) { console.log(JSON.stringify(e.code)) }`, { ...missing, PETAL_NATIVE: 'on' })
    expect(on).toBe('E_NATIVE_UNAVAILABLE')
    const off = inChild(`console.log(JSON.stringify(n.installNative()))`, { PETAL_NATIVE: 'off' }) as { active: boolean }
    expect(off.active).toBe(false)
  })

  it('reports a bad PETAL_NATIVE in the status and throws it from installNative', () => {
    const status = inChild(`console.log(JSON.stringify(n.nativeStatus()))`, { PETAL_NATIVE: 'sometimes' }) as { active: boolean; reason: string }
    expect(status.active).toBe(false)
    expect(status.reason).toMatch(/sometimes/)
    expect(inChild(`try { n.installNative() } catch (e) { console.log(JSON.stringify(e.code)) }`, { PETAL_NATIVE: 'sometimes' })).toBe('E_NATIVE_MODE_INVALID')
  })

  it.skipIf(!findCompiler())('refuses a library built for another ABI version', () => {
    const src = join(dir, 'old.c')
    const lib = join(dir, 'libold.so')
    writeFileSync(src, 'int petal_abi_version(void) { return 99; }\n')
    expect(spawnSync(findCompiler()!, ['-shared', '-fPIC', '-o', lib, src]).status).toBe(0)
    const on = inChild(`try { n.installNative() } catch (e) { console.log(JSON.stringify([e.code, e.message])) }`, { PETAL_NATIVE_LIBRARY: lib, PETAL_NATIVE: 'on' })
    expect(on).toEqual(['E_NATIVE_UNAVAILABLE', expect.stringMatching(/ABI version 99/)])
  })
})

describe('subtree worker pool', () => {
  it('hashes transferred chunks and file ranges to the TypeScript roots, then refuses work once closed', async () => {
    installNative()
    const pool = await openSubtreePool({ threads: 2 })
    try {
      expect(pool.size).toBe(2)
      expect(pool.hasherName).toBe(activeTreeHasher().name)
      const chunks = [0, 1, 2, 3].map((k) => new Uint8Array(127 * 2 ** 10).map((_, i) => (i * 31 + k) & 0xff))
      const expected = chunks.map((c) => {
        const root = new Uint8Array(32)
        typescriptTreeHasher.subtreeRoot(c, root)
        return hex(root)
      })
      const results = await Promise.all(chunks.map((c) => pool.subtreeRoot(c.slice())))
      expect(results.map((r) => hex(r.root))).toEqual(expected)
      expect(results[0].chunk.length).toBe(127 * 2 ** 10)
      // A view into a larger buffer is copied, the caller's bytes stay usable.
      const backing = new Uint8Array(127 * 2 ** 10 + 10)
      backing.set(chunks[2], 10)
      expect(hex((await pool.subtreeRoot(backing.subarray(10))).root)).toBe(expected[2])
      expect(backing.length).toBe(127 * 2 ** 10 + 10)

      const file = join(dir, 'chunks.bin')
      writeFileSync(file, Buffer.concat(chunks))
      const fromFile = await Promise.all(chunks.map((c, i) => pool.fileSubtreeRoot(file, i * c.length, c.length)))
      expect(fromFile.map(hex)).toEqual(expected)
      expect(await codeOfAsync(() => pool.fileSubtreeRoot(file, 3 * chunks[0].length, 2 * chunks[0].length))).toBe('E_FILE_CHANGED')
      expect(await codeOfAsync(() => pool.fileSubtreeRoot(join(dir, 'missing'), 0, 127))).toBe('E_WORKER_FAILED')
      expect(await codeOfAsync(() => pool.subtreeRoot(new Uint8Array(100)))).toBe('E_WORKER_FAILED')
    } finally {
      await pool.close()
    }
    expect(await codeOfAsync(() => pool.subtreeRoot(new Uint8Array(127)))).toBe('E_WORKER_FAILED')
  })

  it('runs the TypeScript hasher in the workers when native is off', async () => {
    const pool = await openSubtreePool({ threads: 1, mode: 'off' })
    try {
      expect(pool.hasherName).toBe('typescript')
      const chunk = new Uint8Array(127 * 64).fill(0xcc)
      const root = new Uint8Array(32)
      typescriptTreeHasher.subtreeRoot(chunk, root)
      expect(hex((await pool.subtreeRoot(chunk.slice())).root)).toBe(hex(root))
    } finally {
      await pool.close()
    }
  })
})
