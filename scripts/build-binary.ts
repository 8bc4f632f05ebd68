#!/usr/bin/env bun
/**
 * Builds the single `petal` executable with `bun build --compile`.
 *
 *   bun scripts/build-binary.ts                         # host → dist/petal
 *   bun scripts/build-binary.ts --target linux-arm64    # → dist/petal-linux-arm64
 *   bun scripts/build-binary.ts --target all            # host + every cross target
 *
 * Cross targets download the matching Bun runtime from the npm registry on first use.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildNative, nativeEmbedPlugin, SRC_ROOT, WORKER_ENTRIES } from './native.ts'

/** Targets petal is built for; the host's is built by default. */
export const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64'] as const
export type Target = (typeof TARGETS)[number]

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** The host's target name, or null when petal has no build for it. */
export function hostTarget(): Target | null {
  const t = `${process.platform}-${process.arch}`
  return (TARGETS as readonly string[]).includes(t) ? (t as Target) : null
}

/**
 * Builds one executable; returns its path. libpetal is compiled for the target with the system C compiler and
 * embedded (with the commP worker entry points); where it cannot be built (cross targets, no compiler) the
 * binary carries none and runs the TypeScript path, and `onNote` is told why.
 */
export async function buildBinary(options: { target?: Target; outfile?: string; minify?: boolean; onNote?: (text: string) => void } = {}): Promise<string> {
  const host = hostTarget()
  const target = options.target ?? host
  if (!target) throw new Error(`no petal build for ${process.platform}-${process.arch}; pass --target`)
  const outfile = options.outfile ?? join(ROOT, 'dist', target === host ? 'petal' : `petal-${target}`)
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  const native = await buildNative({ target })
  if (!native.path) options.onNote?.(`no native library in the ${target} build: ${native.reason}`)
  const result = await Bun.build({
    entrypoints: [join(ROOT, 'src/main.ts'), ...WORKER_ENTRIES],
    root: SRC_ROOT,
    plugins: [nativeEmbedPlugin(native.path)],
    compile: { target: `bun-${target}` as Bun.Build.CompileTarget, outfile, autoloadDotenv: false, autoloadBunfig: false },
    define: { PETAL_COMMIT: JSON.stringify(gitCommit()) },
    minify: options.minify ?? true,
    sourcemap: 'none',
  })
  if (!result.success) {
    for (const log of result.logs) process.stderr.write(`${log}\n`)
    throw new Error(`build for ${target} failed`)
  }
  return outfile
}

/** The short commit of the checkout, with `-dirty` when there are uncommitted changes; "unknown" outside git. */
export function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return dirty ? `${sha}-dirty` : sha
  } catch {
    return 'unknown'
  }
}

if (import.meta.main) {
  const i = process.argv.indexOf('--target')
  const wanted = i > 0 ? process.argv[i + 1] : undefined
  const targets: Target[] = wanted === 'all' ? [...TARGETS] : wanted ? [wanted as Target] : []
  if (wanted && wanted !== 'all' && !(TARGETS as readonly string[]).includes(wanted)) {
    process.stderr.write(`unknown target ${wanted}; one of ${TARGETS.join(', ')}, all\n`)
    process.exit(2)
  }
  for (const target of targets.length > 0 ? targets : [undefined]) {
    const started = performance.now()
    const out = await buildBinary({ target, onNote: (t) => process.stderr.write(`${t}\n`) })
    process.stdout.write(`built ${out} (${target ?? hostTarget()}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  }
}
