/**
 * Runs once per `npm test`: builds the single binary the end-to-end tests drive (into build/test/, so a
 * developer's dist/ is left alone) and hands its path to the tests through `inject('petalBinary')`.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { buildBinary } from '../scripts/build-binary.ts'
import { buildNative } from '../scripts/native.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    petalBinary: string
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url))
  // libpetal for the native proofs tests; without a C compiler they are skipped and the TypeScript path runs.
  const native = await buildNative()
  if (!native.path) process.stderr.write(`native library not built: ${native.reason}\n`)
  const binary = await buildBinary({ outfile: join(root, 'build', 'test', 'petal'), minify: false })
  project.provide('petalBinary', binary)
}
