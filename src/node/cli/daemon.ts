/** `petal run`: starts the node (creating the repo first if there is none) and runs until stopped. */
import { defineCommand } from 'citty'
import { startNode } from '../node.ts'
import { resolveRepoPath } from '../repo/paths.ts'
import { initRepo, repoExists } from '../repo/repo.ts'
import { VERSION } from '../version.ts'
import { repoArgs } from './args.ts'

export default defineCommand({
  meta: { name: 'run', description: 'Start the node (initializes the repo if there is none)' },
  args: {
    ...repoArgs,
    listen: { type: 'string', description: 'Listen address host:port (overrides [api] listen; port 0 = any free port)', valueHint: 'host:port' },
  },
  async run({ args }) {
    const root = resolveRepoPath(args.repo)
    if (!repoExists(root)) {
      initRepo(root)
      process.stdout.write(`initialized petal repo at ${root}\n`)
    }
    const node = await startNode({ root, listen: args.listen })
    process.stdout.write(
      [
        `petal ${VERSION} is running (pid ${process.pid})`,
        `  API:   ${node.url}/rpc/v0   (${node.multiaddr})`,
        `  Repo:  ${root}`,
        `  Token: run 'petal auth api-info --perm admin' and export the line it prints,`,
        `         or use the admin token in ${root}/token`,
        `  Stop:  Ctrl-C, or 'petal stop'`,
        '',
      ].join('\n'),
    )
    let signals = 0
    const onSignal = (sig: NodeJS.Signals) => {
      if (++signals > 1) {
        process.stderr.write(`petal: second ${sig}, exiting now\n`)
        process.exit(130)
      }
      void node.stop(sig)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    await node.stopped
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  },
})
