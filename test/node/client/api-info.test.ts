import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatApiInfo, parseApiInfo, resolveApiInfo } from '../../../src/node/client/index.ts'
import { multiaddrToUrl, parseListen, toMultiaddr } from '../../../src/node/listen.ts'

describe('finding the node', () => {
  it("parses Lotus's <token>:<multiaddr> form", () => {
    expect(parseApiInfo('tok.en.x:/ip4/127.0.0.1/tcp/1234/http')).toEqual({ token: 'tok.en.x', multiaddr: '/ip4/127.0.0.1/tcp/1234/http', url: 'http://127.0.0.1:1234' })
    expect(parseApiInfo('/ip6/::1/tcp/99/ws')).toMatchObject({ token: undefined, url: 'http://[::1]:99' })
    expect(formatApiInfo('t', '/ip4/1.2.3.4/tcp/5/http')).toBe('PETAL_API_INFO=t:/ip4/1.2.3.4/tcp/5/http')
  })

  it('turns listen addresses into client multiaddrs', () => {
    expect(toMultiaddr(parseListen('0.0.0.0:1234'))).toBe('/ip4/127.0.0.1/tcp/1234/http')
    expect(toMultiaddr(parseListen('[::1]:80'))).toBe('/ip6/::1/tcp/80/http')
    expect(toMultiaddr(parseListen('localhost:80'))).toBe('/dns/localhost/tcp/80/http')
    expect(() => parseListen('1234')).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }))
    expect(() => multiaddrToUrl('/unix/x')).toThrow(expect.objectContaining({ code: 'E_INVALID_ARGUMENT' }))
  })

  it('prefers $PETAL_API_INFO, then the repo api and token files', () => {
    const root = mkdtempSync(join(tmpdir(), 'petal-api-'))
    try {
      expect(() => resolveApiInfo(root, {})).toThrow(expect.objectContaining({ code: 'E_NODE_UNREACHABLE' }))
      writeFileSync(join(root, 'api'), '/ip4/127.0.0.1/tcp/4321/http\n')
      writeFileSync(join(root, 'token'), 'abc\n')
      expect(resolveApiInfo(root, {})).toEqual({ url: 'http://127.0.0.1:4321', multiaddr: '/ip4/127.0.0.1/tcp/4321/http', token: 'abc' })
      expect(resolveApiInfo(root, { PETAL_API_INFO: 'zz:/ip4/10.0.0.1/tcp/1/http' }).token).toBe('zz')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
