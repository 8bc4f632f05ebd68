/** `petal client local`: every import with its status, in Lotus's line format. */
import { defineCommand } from 'citty'
import { jsonArgs, repoArgs } from '../args.ts'
import { printJson } from '../output.ts'
import { withImports } from './imports-context.ts'

export default defineCommand({
  meta: { name: 'local', description: 'List imports: id, root, size, source and status (ok, source-changed, source-missing, broken-car)' },
  args: { ...jsonArgs, ...repoArgs },
  async run({ args }) {
    const list = await withImports(args, (imports) => imports.list())
    if (args.json) {
      return printJson(list.map((i) => ({ id: i.id, root: i.root, size: i.sourceSize, source: i.sourcePath, kind: i.source, car: i.carPath, layout: i.layout, status: i.status, error: i.error ?? null })))
    }
    for (const i of list) {
      process.stdout.write(`${i.id}: ${i.root ?? '<nil>'} @${i.sourcePath} (${i.source === 'car' ? 'import-car' : 'import'}) ${i.sourceSize} bytes [${i.status}]\n`)
      if (i.error) process.stdout.write(`\terror: ${i.error}\n`)
    }
  },
})
