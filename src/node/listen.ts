/** Listen addresses and the multiaddrs Lotus writes into its `api` file and API-info strings. */
import { InvalidArgumentError } from './errors.ts'

/** A host and port. */
export interface HostPort {
  host: string
  port: number
}

/** Parses "host:port" or "[v6]:port"; port 0 means any free port. */
export function parseListen(text: string): HostPort {
  const m = text.match(/^\[([^\]]+)\]:(\d+)$/) ?? text.match(/^([^:]+):(\d+)$/)
  if (!m) throw new InvalidArgumentError(`listen address must be host:port, got '${text}'`)
  const port = Number(m[2])
  if (port > 65535) throw new InvalidArgumentError(`port out of range in '${text}'`)
  return { host: m[1], port }
}

/** `/ip4/127.0.0.1/tcp/1234/http` for a listening address (wildcards become loopback for clients). */
export function toMultiaddr({ host, port }: HostPort): string {
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host
  const proto = h.includes(':') ? 'ip6' : /^\d+\.\d+\.\d+\.\d+$/.test(h) ? 'ip4' : 'dns'
  return `/${proto}/${h}/tcp/${port}/http`
}

/** The HTTP base URL of a multiaddr like `/ip4/127.0.0.1/tcp/1234/http` (also `/ws`, `/https`, `/wss`). */
export function multiaddrToUrl(addr: string): string {
  const m = addr.match(/^\/(ip4|ip6|dns|dns4|dns6)\/([^/]+)\/tcp\/(\d+)(?:\/(http|https|ws|wss))?\/?$/)
  if (!m) throw new InvalidArgumentError(`unsupported API multiaddr '${addr}'`)
  const scheme = m[4] === 'https' || m[4] === 'wss' ? 'https' : 'http'
  const host = m[1] === 'ip6' ? `[${m[2]}]` : m[2]
  return `${scheme}://${host}:${m[3]}`
}
