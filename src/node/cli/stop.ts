/** `petal stop`: asks the running node to shut down and waits until it has. */
import { defineCommand } from 'citty'
import { NodeUnreachableError } from '../errors.ts'
import { repoArgs } from './args.ts'
import { clientFor } from './context.ts'

export default defineCommand({
  meta: { name: 'stop', description: 'Stop the running node gracefully' },
  args: { ...repoArgs },
  async run({ args }) {
    const client = clientFor(args)
    await client.call('Filecoin.Shutdown')
    const deadline = Date.now() + 30_000
    for (;;) {
      try {
        await client.call('Filecoin.Version')
      } catch (err) {
        if (err instanceof NodeUnreachableError) break
        if ((err as { code?: string }).code !== 'E_SHUTTING_DOWN') throw err
      }
      if (Date.now() > deadline) throw new NodeUnreachableError('node did not stop within 30 s')
      await new Promise((r) => setTimeout(r, 100))
    }
    process.stdout.write('node stopped\n')
  },
})
