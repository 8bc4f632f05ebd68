/** The methods every Lotus node has: version, auth, session, shutdown and logging. */
import { defineMethod, p, type RpcMethod } from '../../http/rpc/index.ts'
import { ALL_PERMISSIONS, type Permission } from '../../http/rpc/types.ts'
import type { TokenAuthority } from '../../http/auth/jwt.ts'
import { InvalidArgumentError } from '../errors.ts'
import { LEVELS, parseLevel, type LogHub } from '../log/index.ts'
import { COMMIT, VERSION } from '../version.ts'

/** petal's API version, packed like Lotus's (major << 16 | minor << 8 | patch). */
export const API_VERSION = (1 << 16) | (0 << 8) | 0

/** Seconds between epochs of the embedded chain, as Lotus reports `BlockDelay`. */
export const BLOCK_DELAY = 30

/** What the common methods need from the node. */
export interface CommonServices {
  tokens: TokenAuthority
  logs: LogHub
  /** A UUID fixed for the life of this process. */
  session: string
  /** Starts a graceful shutdown (returns at once). */
  shutdown(): void
}

/** `Filecoin.Version`'s result shape. */
export interface VersionResult {
  Version: string
  APIVersion: number
  BlockDelay: number
}

/** The full version string, e.g. `0.1.0+git.1a2b3c4`. */
export function versionString(): string {
  return `${VERSION}+git.${COMMIT}`
}

/** Builds the common methods over `s`. */
export function commonMethods(s: CommonServices): RpcMethod<any, any>[] {
  return [
    defineMethod({
      name: 'Filecoin.Version',
      perm: 'read',
      params: [],
      description: 'Version, API version and block delay',
      handler: (): VersionResult => ({ Version: versionString(), APIVersion: API_VERSION, BlockDelay: BLOCK_DELAY }),
    }),
    defineMethod({
      name: 'Filecoin.Session',
      perm: 'read',
      params: [],
      description: 'A UUID that changes when the node restarts',
      handler: () => s.session,
    }),
    defineMethod({
      name: 'Filecoin.AuthVerify',
      perm: 'read',
      params: [p.string('token')],
      description: 'The permissions a token grants',
      handler: ([token]) => s.tokens.verify(token),
    }),
    defineMethod({
      name: 'Filecoin.AuthNew',
      perm: 'admin',
      params: [p.array('perms', p.enum('perm', ALL_PERMISSIONS))],
      description: 'A new token with the given permissions (base64 of the token, as Lotus returns []byte)',
      handler: ([perms]) => {
        if (perms.length === 0) throw new InvalidArgumentError('a token needs at least one permission')
        const ordered = ALL_PERMISSIONS.filter((x) => perms.includes(x as Permission))
        return Buffer.from(s.tokens.sign(ordered)).toString('base64')
      },
    }),
    defineMethod({
      name: 'Filecoin.Shutdown',
      perm: 'admin',
      params: [],
      description: 'Stops the node gracefully',
      handler: () => {
        setTimeout(() => s.shutdown(), 10)
        return null
      },
    }),
    defineMethod({
      name: 'Filecoin.LogList',
      perm: 'write',
      params: [],
      description: 'Log subsystems',
      handler: () => s.logs.subsystems(),
    }),
    defineMethod({
      name: 'Filecoin.LogSetLevel',
      perm: 'write',
      params: [p.string('subsystem'), p.string('level')],
      description: "Sets a subsystem's level ('*' for all)",
      handler: ([subsystem, level]) => {
        s.logs.setLevel(subsystem, parseLevel(level))
        return null
      },
    }),
    defineMethod({
      name: 'Filecoin.LogSubscribe',
      perm: 'write',
      params: [p.optional(p.enum('level', LEVELS))],
      stream: true,
      description: 'Streams log entries at or above a level (websocket channel)',
      handler: ([level], ctx) => s.logs.subscribe(level ?? 'info', ctx.signal),
    }),
  ]
}
