/** `petal client cat <cid>`: the bytes of an imported UnixFS file, to stdout. */
import { defineCommand } from 'citty'
import { CID } from 'multiformats/cid'
import { InvalidArgumentError } from '../../errors.ts'
import { readUnixfsFile } from '../../imports/index.ts'
import { repoArgs } from '../args.ts'
import { withImports } from './imports-context.ts'

export default defineCommand({
  meta: { name: 'cat', description: 'Print the contents of an imported file' },
  args: { cid: { type: 'positional', description: 'CID of a file in an import', required: true, valueHint: 'cid' }, ...repoArgs },
  async run({ args }) {
    let cid: CID
    try {
      cid = CID.parse(args.cid)
    } catch {
      throw new InvalidArgumentError(`not a CID: ${args.cid}`)
    }
    await withImports(args, async (imports) => {
      const reader = await imports.open(await imports.findHolder(cid))
      try {
        for await (const chunk of readUnixfsFile(reader, cid)) {
          if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r))
        }
      } finally {
        await reader.close()
      }
    })
  },
})
