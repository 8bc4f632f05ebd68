/** `petal init`: creates the repo. */
import { defineCommand } from 'citty'
import { resolveRepoPath } from '../repo/paths.ts'
import { initRepo } from '../repo/repo.ts'
import { repoArgs } from './args.ts'

export default defineCommand({
  meta: { name: 'init', description: 'Create a repo: config.toml, keystore, petal.db and data folders' },
  args: { ...repoArgs },
  run({ args }) {
    const root = resolveRepoPath(args.repo)
    const paths = initRepo(root)
    process.stdout.write(`initialized petal repo at ${paths.root}\n`)
  },
})
