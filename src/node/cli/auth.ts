/** `petal auth create-token|api-info`: API tokens in Lotus's format. */
import { readFileSync } from 'node:fs'
import { defineCommand } from 'citty'
import { createTokenAuthority, permsUpTo } from '../../http/auth/jwt.ts'
import type { Permission } from '../../http/rpc/types.ts'
import { ApiClient, formatApiInfo, parseApiInfo } from '../client/index.ts'
import { NodeUnreachableError, RepoNotFoundError } from '../errors.ts'
import { readJwtSecret } from '../repo/keystore.ts'
import { repoPaths, resolveRepoPath } from '../repo/paths.ts'
import { repoExists } from '../repo/repo.ts'
import { repoArgs } from './args.ts'

const permArgs = {
  perm: {
    type: 'enum' as const,
    options: ['read', 'write', 'sign', 'admin'],
    required: true as const,
    description: 'Permission to grant: read, write, sign or admin (each includes the ones before it)',
  },
}

/**
 * A token granting `perm` and the permissions below it. With $PETAL_API_INFO set it asks that node
 * (`Filecoin.AuthNew`); otherwise it signs with the local repo's keystore, so no running node is needed.
 */
async function createToken(repo: string | undefined, perm: Permission): Promise<string> {
  const perms = permsUpTo(perm)
  if (process.env.PETAL_API_INFO) {
    const client = new ApiClient(parseApiInfo(process.env.PETAL_API_INFO))
    return Buffer.from(await client.call<string>('Filecoin.AuthNew', [perms]), 'base64').toString('utf8')
  }
  const root = resolveRepoPath(repo)
  if (!repoExists(root)) throw new RepoNotFoundError(root)
  return createTokenAuthority(readJwtSecret(repoPaths(root).jwtSecret)).sign(perms)
}

export default defineCommand({
  meta: { name: 'auth', description: 'Create API tokens' },
  subCommands: {
    'create-token': defineCommand({
      meta: { name: 'create-token', description: 'Print a new API token' },
      args: { ...repoArgs, ...permArgs },
      async run({ args }) {
        process.stdout.write(`${await createToken(args.repo, args.perm as Permission)}\n`)
      },
    }),
    'api-info': defineCommand({
      meta: { name: 'api-info', description: 'Print PETAL_API_INFO=<token>:<multiaddr> for the running node' },
      args: { ...repoArgs, ...permArgs },
      async run({ args }) {
        let multiaddr: string
        if (process.env.PETAL_API_INFO) multiaddr = parseApiInfo(process.env.PETAL_API_INFO).multiaddr
        else {
          const paths = repoPaths(resolveRepoPath(args.repo))
          try {
            multiaddr = readFileSync(paths.api, 'utf8').trim()
          } catch (cause) {
            throw new NodeUnreachableError(`node is not running (${paths.api} is missing); start it with 'petal run'`, { cause })
          }
        }
        process.stdout.write(`${formatApiInfo(await createToken(args.repo, args.perm as Permission), multiaddr)}\n`)
      },
    }),
  },
})
