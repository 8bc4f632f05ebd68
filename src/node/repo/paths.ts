/** Where things live inside a repo ($PETAL_PATH, default ~/.petal). */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** The folders `petal init` creates, each owned by one part of the node. */
export const REPO_DIRS = ['imports', 'retrievals', 'dagstore', 'sectors', 'staging', 'keystore'] as const

/** Absolute paths of everything in a repo. */
export interface RepoPaths {
  root: string
  config: string
  db: string
  keystore: string
  jwtSecret: string
  lock: string
  /** The running node's API multiaddr (written on start, removed on clean stop), as Lotus's `api` file. */
  api: string
  /** An admin token for local CLI use (mode 0600), as Lotus's `token` file. */
  token: string
  imports: string
  retrievals: string
  dagstore: string
  sectors: string
  staging: string
}

/** Resolves the repo root: the `--repo` flag, then $PETAL_PATH, then ~/.petal. A leading ~ is expanded. */
export function resolveRepoPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const raw = flag || env.PETAL_PATH || join(homedir(), '.petal')
  return resolve(raw.startsWith('~/') || raw === '~' ? join(homedir(), raw.slice(1)) : raw)
}

/** The paths of the repo rooted at `root`. */
export function repoPaths(root: string): RepoPaths {
  const at = (...p: string[]) => join(root, ...p)
  return {
    root,
    config: at('config.toml'),
    db: at('petal.db'),
    keystore: at('keystore'),
    jwtSecret: at('keystore', 'jwt-secret'),
    lock: at('repo.lock'),
    api: at('api'),
    token: at('token'),
    imports: at('imports'),
    retrievals: at('retrievals'),
    dagstore: at('dagstore'),
    sectors: at('sectors'),
    staging: at('staging'),
  }
}
