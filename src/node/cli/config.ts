/** `petal config default|show`. */
import { defineCommand } from 'citty'
import { loadConfig } from '../config/load.ts'
import { renderConfig, renderDefaultConfig } from '../config/render.ts'
import { RepoNotFoundError } from '../errors.ts'
import { repoPaths, resolveRepoPath } from '../repo/paths.ts'
import { repoExists } from '../repo/repo.ts'
import { jsonArgs, repoArgs } from './args.ts'
import { printJson } from './output.ts'

export default defineCommand({
  meta: { name: 'config', description: 'Show the default or the effective configuration' },
  subCommands: {
    default: defineCommand({
      meta: { name: 'default', description: 'Print the full default config.toml, every key documented' },
      run() {
        process.stdout.write(renderDefaultConfig())
      },
    }),
    show: defineCommand({
      meta: { name: 'show', description: "Print the repo's effective configuration (file + defaults)" },
      args: { ...repoArgs, ...jsonArgs },
      run({ args }) {
        const root = resolveRepoPath(args.repo)
        if (!repoExists(root)) throw new RepoNotFoundError(root)
        const config = loadConfig(repoPaths(root).config)
        if (args.json) return printJson(config)
        process.stdout.write(renderConfig(config))
      },
    }),
  },
})
