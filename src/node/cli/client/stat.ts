/** `petal client stat <id|root>`: one import's record, status and CAR. */
import { statSync } from 'node:fs'
import { defineCommand } from 'citty'
import { jsonArgs, repoArgs } from '../args.ts'
import { printJson, printTable } from '../output.ts'
import { withImports } from './imports-context.ts'

export default defineCommand({
  meta: { name: 'stat', description: 'Show one import: root, source, layout, CAR size and status' },
  args: { import: { type: 'positional', description: 'Import id or root CID', required: true, valueHint: 'id|root' }, ...jsonArgs, ...repoArgs },
  async run({ args }) {
    const info = await withImports(args, (imports) => imports.info(imports.resolve(args.import).id))
    // A missing CAR is already the status (broken-car or source-missing); its size is then null.
    const carSize = statSync(info.carPath, { throwIfNoEntry: false })?.size ?? null
    if (args.json) return printJson({ ...info, carSize })
    printTable(null, [
      ['ID:', info.id],
      ['Root:', info.root ?? '<nil>'],
      ['Source:', `${info.sourcePath} (${info.source === 'car' ? 'CAR imported as it is' : 'imported'})`],
      ['Size:', info.sourceSize],
      ['Layout:', info.layout ?? '-'],
      ['CAR:', `${info.carPath} (${carSize ?? 'missing'} bytes)`],
      ['Created:', info.createdAt],
      ['Status:', info.error ? `${info.status}: ${info.error}` : info.status],
    ])
  },
})
