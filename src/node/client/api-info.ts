/**
 * Finding a running node, as the lotus CLI does: `$PETAL_API_INFO` (`<token>:<multiaddr>`), else the repo's
 * `api` and `token` files.
 */
import { readFileSync } from 'node:fs'
import { NodeUnreachableError } from '../errors.ts'
import { multiaddrToUrl } from '../listen.ts'
import { repoPaths } from '../repo/paths.ts'

/** Where the node is and how to authenticate. */
export interface ApiInfo {
  /** Base URL, e.g. http://127.0.0.1:1234. */
  url: string
  multiaddr: string
  token?: string
}

/** Parses `<token>:<multiaddr>` or a bare `<multiaddr>`. */
export function parseApiInfo(text: string): ApiInfo {
  const at = text.indexOf(':/')
  const token = at > 0 ? text.slice(0, at) : undefined
  const multiaddr = at > 0 ? text.slice(at + 1) : text
  return { url: multiaddrToUrl(multiaddr.trim()), multiaddr: multiaddr.trim(), token }
}

/** Formats the line `petal auth api-info` prints. */
export function formatApiInfo(token: string, multiaddr: string): string {
  return `PETAL_API_INFO=${token}:${multiaddr}`
}

/** Resolves the API: the environment first, then the repo at `root`. */
export function resolveApiInfo(root: string, env: NodeJS.ProcessEnv = process.env): ApiInfo {
  if (env.PETAL_API_INFO) return parseApiInfo(env.PETAL_API_INFO)
  const paths = repoPaths(root)
  let multiaddr: string
  try {
    multiaddr = readFileSync(paths.api, 'utf8').trim()
  } catch (cause) {
    throw new NodeUnreachableError(`no running node found: ${paths.api} is missing (start one with 'petal run', or set $PETAL_API_INFO)`, { cause })
  }
  let token: string | undefined
  try {
    token = readFileSync(paths.token, 'utf8').trim()
  } catch {
    token = undefined // the node may allow anonymous reads
  }
  return { url: multiaddrToUrl(multiaddr), multiaddr, token }
}
