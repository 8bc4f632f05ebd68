#!/usr/bin/env bun
/**
 * Builds libpetal, the native accelerator: every src/proofs/native/*.c compiled with the system C compiler
 * into build/native/libpetal-<platform>-<arch>.<so|dylib>. No -march: the library must run on any CPU of its
 * architecture, so SHA extensions are enabled per function and chosen at run time by a CPU check.
 *
 *   bun scripts/native.ts            # build if out of date; prints the path, or why there is none
 *   bun scripts/native.ts --force    # rebuild
 *
 * Contract for scripts/build-binary.ts (the single binary), all exported from here:
 *   const native = await buildNative({ target })            // never throws for "no compiler"/"other OS"
 *   await Bun.build({
 *     entrypoints: [join(ROOT, 'src/main.ts'), ...WORKER_ENTRIES],  // workers are extra entry points
 *     root: SRC_ROOT,                                                // fixes their paths inside the binary
 *     plugins: [nativeEmbedPlugin(native.path)],                     // embeds the library (or records none)
 *     compile: { … },
 *   })
 * nativeEmbedPlugin replaces src/node/runtime/native/embedded.ts with a module that imports the library
 * `with { type: "file" }` (Bun embeds it and dlopen opens it from the binary) and names the worker entry
 * points relative to SRC_ROOT, which is how the binary's module graph resolves `new Worker(path)`. When
 * `native.path` is null (no compiler, or a cross target) the binary runs the TypeScript path.
 */
import type { BunPlugin } from 'bun'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The folder whose *.c files make up libpetal. */
export const NATIVE_SRC = join(ROOT, 'src', 'proofs', 'native')
/** Root of the bundle: entry points' paths inside the binary are relative to it. */
export const SRC_ROOT = join(ROOT, 'src')
/** Worker scripts the single binary must bundle as extra entry points. */
export const WORKER_ENTRIES: readonly string[] = [join(ROOT, 'src', 'node', 'runtime', 'native', 'commp-worker.ts')]

/** Compiler flags; changing them forces a rebuild. */
const CFLAGS = ['-O3', '-fPIC', '-shared', '-fvisibility=hidden', '-std=c11', '-Wall', '-Wextra']

/** Options of `buildNative`. */
export interface BuildNativeOptions {
  /** `<platform>-<arch>` to build for; only the host is supported (default). */
  target?: string
  /** Output folder (default build/native). */
  outDir?: string
  /** Rebuild even when up to date. */
  force?: boolean
}

/** What `buildNative` did: the library path, or null and why. */
export interface BuildNativeResult {
  /** The library, or null when none could be built. */
  path: string | null
  /** Why there is no library. */
  reason?: string
  /** True when this call compiled it (false: it was up to date). */
  built: boolean
  /** The compiler command used. */
  compiler?: string
}

/** File name of the library for a platform (kept equal to src/node/runtime/native/library.ts). */
export function libraryFileName(platform: string = process.platform, arch: string = process.arch): string {
  const ext = platform === 'darwin' ? 'dylib' : platform === 'win32' ? 'dll' : 'so'
  return `libpetal-${platform}-${arch}.${ext}`
}

/** The first working C compiler: $CC, cc, gcc, clang; null when there is none. */
export function findCompiler(): string | null {
  const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter((c): c is string => !!c)
  for (const cc of candidates) {
    const probe = spawnSync(cc, ['--version'], { stdio: 'ignore' })
    if (probe.status === 0) return cc
  }
  return null
}

/** Compiles libpetal unless it is up to date. Returns `{ path: null, reason }` instead of throwing when it cannot. */
export async function buildNative(options: BuildNativeOptions = {}): Promise<BuildNativeResult> {
  const host = `${process.platform}-${process.arch}`
  const target = options.target ?? host
  if (target !== host) return { path: null, built: false, reason: `cross-compiling libpetal for ${target} is not supported (host ${host}); that build uses the TypeScript path` }
  if (process.platform !== 'linux' && process.platform !== 'darwin') return { path: null, built: false, reason: `libpetal is not built on ${process.platform}; the TypeScript path runs` }
  const sources = readdirSync(NATIVE_SRC).filter((f) => f.endsWith('.c')).sort().map((f) => join(NATIVE_SRC, f))
  const inputs = readdirSync(NATIVE_SRC).filter((f) => f.endsWith('.c') || f.endsWith('.h')).map((f) => join(NATIVE_SRC, f))
  const outDir = options.outDir ?? join(ROOT, 'build', 'native')
  const out = join(outDir, libraryFileName())
  const cc = findCompiler()
  if (!cc) return existsSync(out) ? { path: out, built: false, reason: 'no C compiler; using the existing library' } : { path: null, built: false, reason: 'no C compiler found (tried $CC, cc, gcc, clang); the TypeScript path runs' }
  const args = [...CFLAGS, '-o', `${out}.tmp-${process.pid}`, ...sources]
  const stamp = createHash('sha256').update(JSON.stringify([cc, CFLAGS, sources.map((s) => relative(NATIVE_SRC, s))])).digest('hex')
  const stampFile = `${out}.stamp`
  if (!options.force && upToDate(out, inputs) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { path: out, built: false, compiler: cc }
  }
  mkdirSync(outDir, { recursive: true })
  const run = spawnSync(cc, args, { encoding: 'utf8' })
  if (run.status !== 0) {
    rmSync(`${out}.tmp-${process.pid}`, { force: true })
    const detail = `${run.stderr ?? ''}${run.error ? run.error.message : ''}`.trim().split('\n').slice(0, 20).join('\n')
    return { path: null, built: false, compiler: cc, reason: `${cc} failed (exit ${run.status}):\n${detail}` }
  }
  if (run.stderr?.trim()) process.stderr.write(run.stderr)
  // Rename into place: a concurrent reader never sees a half-written library.
  renameSync(`${out}.tmp-${process.pid}`, out)
  writeFileSync(stampFile, stamp)
  return { path: out, built: true, compiler: cc }
}

function upToDate(out: string, inputs: string[]): boolean {
  if (!existsSync(out)) return false
  const built = statSync(out).mtimeMs
  return inputs.every((f) => statSync(f).mtimeMs <= built)
}

/**
 * The Bun build plugin that embeds `libraryPath` (or records that there is none) and the worker entry points
 * into the single binary, by replacing src/node/runtime/native/embedded.ts.
 */
export function nativeEmbedPlugin(libraryPath: string | null, root: string = SRC_ROOT): BunPlugin {
  const workers = Object.fromEntries(
    WORKER_ENTRIES.map((entry) => [workerName(entry), `./${relative(root, entry).split('\\').join('/')}`]),
  )
  const contents = [
    libraryPath ? `import library from ${JSON.stringify(libraryPath)} with { type: 'file' }` : 'const library = null',
    'export const EMBEDDED_LIBRARY: string | null = library',
    `export const EMBEDDED_WORKERS: Readonly<Record<string, string>> = ${JSON.stringify(workers)}`,
  ].join('\n')
  return {
    name: 'petal-native-embed',
    setup(build) {
      build.onLoad({ filter: /[\\/]node[\\/]runtime[\\/]native[\\/]embedded\.ts$/ }, () => ({ loader: 'ts', contents }))
    },
  }
}

/** `commp-worker.ts` → `commp`. */
function workerName(entry: string): string {
  const base = entry.split(/[\\/]/).pop() ?? entry
  return base.replace(/-worker\.ts$/, '').replace(/\.ts$/, '')
}

if (import.meta.main) {
  const result = await buildNative({ force: process.argv.includes('--force') })
  if (result.path) process.stdout.write(`${result.built ? 'built' : 'up to date:'} ${result.path}\n`)
  else process.stderr.write(`petal: native library not built: ${result.reason}\n`)
}
