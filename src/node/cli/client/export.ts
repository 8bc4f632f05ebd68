/** `petal client export <id|root> --car out.car | --out path`. */
import { defineCommand } from 'citty'
import { InvalidArgumentError } from '../../errors.ts'
import { jsonArgs, repoArgs } from '../args.ts'
import { printJson } from '../output.ts'
import { withImports } from './imports-context.ts'

export default defineCommand({
  meta: { name: 'export', description: 'Write an import as a CARv1 (every block, depth-first) or as the original bytes or directory' },
  args: {
    import: { type: 'positional', description: 'Import id or root CID', required: true, valueHint: 'id|root' },
    car: { type: 'string', description: 'Write a CARv1 here', valueHint: 'out.car' },
    out: { type: 'string', description: 'Write the file or directory here', valueHint: 'path' },
    ...jsonArgs,
    ...repoArgs,
  },
  async run({ args }) {
    if ((args.car === undefined) === (args.out === undefined)) throw new InvalidArgumentError('give exactly one of --car <out.car> or --out <path>')
    const result = await withImports(args, async (imports) => {
      const rec = imports.resolve(args.import)
      return imports.export(rec, args.car !== undefined ? { path: args.car, car: true } : { path: args.out!, car: false })
    })
    if (args.json) return printJson(result)
    process.stdout.write(`wrote ${result.path} (${result.bytes} bytes)\n`)
  },
})
