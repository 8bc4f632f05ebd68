/** `petal version`: version, commit, runtime, platform, and which proofs path is active. */
import { defineCommand } from 'citty'
import { versionString } from '../api/common.ts'
import { nativeStatus } from '../runtime/native/mode.ts'
import { COMMIT, VERSION } from '../version.ts'
import { jsonArgs } from './args.ts'
import { printJson } from './output.ts'

/** Facts about this build and the machine it runs on, and which proofs path is active. */
export function versionInfo(): Record<string, string> {
  const native = nativeStatus()
  return {
    proofs: native.active ? `native (${native.sha}, ${native.library})` : `typescript (${native.reason})`,
    version: VERSION,
    commit: COMMIT,
    full: versionString(),
    runtime: process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`,
    platform: `${process.platform}-${process.arch}`,
  }
}

export default defineCommand({
  meta: { name: 'version', description: 'Print version, commit, runtime and platform' },
  args: { ...jsonArgs },
  run({ args }) {
    const info = versionInfo()
    if (args.json) return printJson(info)
    process.stdout.write(`petal ${info.full}\nruntime: ${info.runtime}\nplatform: ${info.platform}\nproofs: ${info.proofs}\n`)
  },
})
