/** `petal client drop <id…>`: removes imports (records and the CARs petal created). */
import { defineCommand } from 'citty'
import { InvalidArgumentError } from '../../errors.ts'
import { repoArgs } from '../args.ts'
import { withImports } from './imports-context.ts'

export default defineCommand({
  meta: { name: 'drop', description: 'Remove one or more imports' },
  args: { ids: { type: 'positional', description: 'Import ids', required: true, valueHint: 'id…' }, ...repoArgs },
  async run({ args }) {
    const ids = (args._ as string[]).map((s) => {
      if (!/^\d+$/.test(s)) throw new InvalidArgumentError(`not an import id: ${s}`)
      return Number(s)
    })
    await withImports(args, (imports) => {
      // Every id is checked before anything is removed, so a typo drops nothing.
      for (const id of ids) imports.get(id)
      for (const id of ids) imports.remove(id)
    })
  },
})
