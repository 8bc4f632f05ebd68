/** `petal client import <path>`: a file or directory into a ref-CARv2 (or `--car`: a CAR as it is). */
import { defineCommand } from 'citty'
import { jsonArgs, repoArgs } from '../args.ts'
import { printJson } from '../output.ts'
import { createProgress, type Progress } from '../progress.ts'
import { withImports } from './imports-context.ts'

export default defineCommand({
  meta: { name: 'import', description: 'Import data: UnixFS DAG into a ref-CARv2 that points into your file (no copy)' },
  args: {
    path: { type: 'positional', description: 'File or directory to import', required: true, valueHint: 'path' },
    car: { type: 'boolean', description: 'Import a CARv1/CARv2 file as it is', default: false },
    layout: { type: 'string', description: 'DAG layout: ipfs-car (default; CIDs equal `ipfs-car pack`) or lotus', valueHint: 'ipfs-car|lotus' },
    quiet: { type: 'boolean', alias: 'q', description: 'Print the root CID only', default: false },
    ...jsonArgs,
    ...repoArgs,
  },
  async run({ args }) {
    let progress: Progress | undefined
    const rec = await withImports(args, (imports) =>
      imports.importPath(args.path, {
        car: args.car,
        layout: args.layout,
        onProgress: (done, total) => {
          if (!progress && total >= 8 << 20) progress = createProgress('import', { total, unit: 'bytes' })
          progress?.update(done)
        },
      }),
    ).finally(() => progress?.done())
    if (args.json) return printJson({ id: rec.id, root: rec.root })
    process.stdout.write(args.quiet ? `${rec.root}\n` : `Import ${rec.id}, Root ${rec.root}\n`)
  },
})
