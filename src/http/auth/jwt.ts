/**
 * Lotus-compatible API tokens: JWT, HS256, payload `{"Allow": ["read", "write", ...]}`. A token made by
 * `lotus auth create-token` with the same secret verifies here, and the other way round.
 * https://www.rfc-editor.org/rfc/rfc7519
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { InvalidTokenError } from '../errors.ts'
import { ALL_PERMISSIONS, type Permission } from '../rpc/types.ts'

const HEADER = base64url(new TextEncoder().encode('{"alg":"HS256","typ":"JWT"}'))

/** Signs and verifies API tokens with one secret. */
export interface TokenAuthority {
  /** A token granting exactly `perms`. */
  sign(perms: readonly Permission[]): string
  /** The permissions a token grants; throws InvalidTokenError for anything not signed by our secret. */
  verify(token: string): Permission[]
}

/** Creates the token authority; verified tokens are cached (verification is on every request's path). */
export function createTokenAuthority(secret: Uint8Array, cacheSize = 1024): TokenAuthority {
  if (secret.length < 32) throw new RangeError('JWT secret must be at least 32 bytes')
  const key = Buffer.from(secret)
  const cache = new Map<string, Permission[]>()
  const mac = (data: string) => createHmac('sha256', key).update(data).digest()

  return {
    sign(perms) {
      const payload = base64url(new TextEncoder().encode(JSON.stringify({ Allow: perms })))
      const body = `${HEADER}.${payload}`
      return `${body}.${base64url(mac(body))}`
    },
    verify(token) {
      const hit = cache.get(token)
      if (hit) return hit
      const parts = token.split('.')
      if (parts.length !== 3) throw new InvalidTokenError('not a JWT')
      const [h, pl, sig] = parts
      const header = decodeJson(h, 'header') as { alg?: unknown }
      if (header.alg !== 'HS256') throw new InvalidTokenError(`unsupported alg ${String(header.alg)}`)
      const expected = mac(`${h}.${pl}`)
      const given = Buffer.from(sig, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError('bad signature')
      const payload = decodeJson(pl, 'payload') as { Allow?: unknown }
      if (!Array.isArray(payload.Allow)) throw new InvalidTokenError('payload has no Allow list')
      const perms = ALL_PERMISSIONS.filter((p) => (payload.Allow as unknown[]).includes(p))
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string)
      cache.set(token, perms)
      return perms
    },
  }
}

/** The permissions `lotus auth create-token --perm <perm>` grants: every one up to and including it. */
export function permsUpTo(perm: Permission): Permission[] {
  return ALL_PERMISSIONS.slice(0, ALL_PERMISSIONS.indexOf(perm) + 1)
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

function decodeJson(part: string, what: string): object {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    if (typeof v !== 'object' || v === null) throw new TypeError('not an object')
    return v
  } catch (cause) {
    throw new InvalidTokenError(`${what} is not base64url JSON`, { cause })
  }
}
