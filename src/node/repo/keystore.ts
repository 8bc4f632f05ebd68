/** The keystore: the JWT secret that signs API tokens, readable by the owner only. */
import { randomBytes } from 'node:crypto'
import { chmodSync, closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { NodeError } from '../errors.ts'

/** Bytes of the HS256 secret. */
export const JWT_SECRET_BYTES = 32

/** Writes a fresh random secret with mode 0600 (fails if one exists). */
export function createJwtSecret(path: string): Uint8Array {
  const secret = randomBytes(JWT_SECRET_BYTES)
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, secret.toString('hex'))
  } finally {
    closeSync(fd)
  }
  chmodSync(path, 0o600)
  return new Uint8Array(secret)
}

/** Reads the secret; a group- or world-readable file is refused, as ssh refuses such keys. */
export function readJwtSecret(path: string): Uint8Array {
  let text: string
  try {
    text = readFileSync(path, 'utf8').trim()
  } catch (cause) {
    throw new KeystoreError(`cannot read JWT secret ${path}`, { cause })
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new KeystoreError(`JWT secret ${path} is readable by others; run: chmod 600 ${path}`)
  }
  if (!/^[0-9a-f]{64,}$/.test(text)) throw new KeystoreError(`JWT secret ${path} is malformed`)
  return new Uint8Array(Buffer.from(text, 'hex'))
}

/** The keystore is missing, unreadable or unsafe. */
export class KeystoreError extends NodeError {
  override name = 'KeystoreError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_KEYSTORE', message, options)
  }
}
