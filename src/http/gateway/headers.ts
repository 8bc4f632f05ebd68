/** Response header values shared by the gateway routes. https://specs.ipfs.tech/http-gateways/path-gateway/ */
import { createHash } from 'node:crypto'

/** `Cache-Control` of every immutable response (`/ipfs/…` by CID, `/piece/…`). */
export const IMMUTABLE = 'public, max-age=29030400, immutable'

/** Whether `If-None-Match` lists `etag` (weak comparison, `*` matches anything). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  const strip = (t: string) => t.trim().replace(/^W\//, '')
  const want = strip(etag)
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === want)
}

/** Whether the request's `Cache-Control` carries `only-if-cached`. */
export function onlyIfCached(cacheControl: string | undefined): boolean {
  return cacheControl !== undefined && cacheControl.split(',').some((d) => d.trim().toLowerCase() === 'only-if-cached')
}

/** A short digest of a request's shape, so Etags differ per path, scope, range and dups. */
export function etagSuffix(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)
}

/** `Content-Disposition` with an ASCII fallback `filename` and, for other names, `filename*` in UTF-8. */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '\\$&')
  const plain = `${kind}; filename="${ascii}"`
  if (/^[\x20-\x7e]*$/.test(filename)) return plain
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${plain}; filename*=UTF-8''${encoded}`
}
