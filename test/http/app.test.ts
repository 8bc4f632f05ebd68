import { describe, expect, it } from 'vitest'
import { createApp, type AppOptions } from '../../src/http/app.ts'
import { createTokenAuthority } from '../../src/http/auth/jwt.ts'
import { MetricsRegistry } from '../../src/http/metrics.ts'
import { defineMethod, p, RpcRegistry } from '../../src/http/rpc/index.ts'

const tokens = createTokenAuthority(Buffer.alloc(32, 1))
const registry = new RpcRegistry().add(
  defineMethod({ name: 'Filecoin.Version', perm: 'read', params: [], handler: () => ({ Version: 'test' }) }),
  defineMethod({ name: 'Filecoin.AuthNew', perm: 'admin', params: [p.any('perms')], handler: () => 'x' }),
)

function app(over: Partial<AppOptions> = {}) {
  return createApp({
    registry,
    tokens,
    metrics: new MetricsRegistry(),
    anonymousPerms: [],
    maxBodyBytes: 1024,
    requestTimeoutMs: 1000,
    ready: () => true,
    shuttingDown: () => false,
    shutdownSignal: new AbortController().signal,
    ...over,
  }).app
}

const rpc = (body: string, token?: string) =>
  new Request('http://localhost/rpc/v0', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
const version = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'Filecoin.Version', params: [] })

describe('the HTTP app', () => {
  it('answers a JSON-RPC call with a read token', async () => {
    const res = await app().request(rpc(version, tokens.sign(['read'])))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(await res.json()).toEqual({ jsonrpc: '2.0', id: 1, result: { Version: 'test' } })
  })

  it('serves /rpc/v1 the same way', async () => {
    const res = await app().request(new Request('http://localhost/rpc/v1', { method: 'POST', body: version, headers: { authorization: `Bearer ${tokens.sign(['read'])}` } }))
    expect(await res.json()).toMatchObject({ result: { Version: 'test' } })
  })

  it('answers 401 without a token unless anonymous reads are allowed', async () => {
    const closed = await app().request(rpc(version))
    expect(closed.status).toBe(401)
    expect(await closed.json()).toMatchObject({ error: { code: 'E_AUTH_REQUIRED' } })
    const open = await app({ anonymousPerms: ['read'] }).request(rpc(version))
    expect(await open.json()).toMatchObject({ result: { Version: 'test' } })
    const write = await app({ anonymousPerms: ['read'] }).request(rpc(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'Filecoin.AuthNew', params: [[]] })))
    expect(await write.json()).toMatchObject({ error: { data: { code: 'E_PERMISSION_DENIED' } } })
  })

  it('answers 401 for a forged token even when anonymous reads are allowed', async () => {
    const res = await app({ anonymousPerms: ['read'] }).request(rpc(version, createTokenAuthority(Buffer.alloc(32, 2)).sign(['read'])))
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: { code: 'E_AUTH_INVALID_TOKEN' } })
  })

  it('answers 413 for a body over the cap, by declared length or by bytes read', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'Filecoin.Version', params: ['x'.repeat(2000)] })
    const declared = await app().request(rpc(big, tokens.sign(['read'])))
    expect(declared.status).toBe(413)
    expect(await declared.json()).toMatchObject({ error: { code: 'E_BODY_TOO_LARGE' } })
    const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close() } })
    const chunked = await app().request(new Request('http://localhost/rpc/v0', { method: 'POST', body, headers: { authorization: `Bearer ${tokens.sign(['read'])}` }, duplex: 'half' } as RequestInit))
    expect(chunked.status).toBe(413)
  })

  it('answers 204 to a notification', async () => {
    const res = await app().request(rpc(JSON.stringify({ jsonrpc: '2.0', method: 'Filecoin.Version' }), tokens.sign(['read'])))
    expect(res.status).toBe(204)
  })

  it('answers malformed JSON with a -32700 response', async () => {
    const res = await app().request(rpc('{nope', tokens.sign(['read'])))
    expect(await res.json()).toMatchObject({ error: { code: -32700 } })
  })

  it("serves Lotus's health paths", async () => {
    expect((await app().request('/health/livez')).status).toBe(200)
    expect((await app().request('/health/readyz')).status).toBe(200)
    expect((await app({ ready: () => false }).request('/health/readyz')).status).toBe(503)
  })

  it('answers 503 once shutdown has begun', async () => {
    const res = await app({ shuttingDown: () => true }).request('/health/livez')
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: { code: 'E_SHUTTING_DOWN' } })
  })

  it('counts requests and RPC calls in Prometheus text', async () => {
    const metrics = new MetricsRegistry()
    const a = app({ metrics })
    await a.request(rpc(version, tokens.sign(['read'])))
    await a.request(rpc(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'Nope' }), tokens.sign(['read'])))
    const text = await (await a.request('/debug/metrics')).text()
    expect(text).toContain('petal_rpc_calls_total{method="Filecoin.Version",code="ok"} 1')
    expect(text).toContain('petal_rpc_calls_total{method="unknown",code="E_RPC_METHOD_NOT_FOUND"} 1')
    expect(text).toContain('petal_http_requests_total{route="/rpc/v0",method="POST",status="200"} 2')
    expect(text).toMatch(/petal_rpc_call_duration_seconds_bucket\{method="Filecoin.Version",le="\+Inf"\} 1/)
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await app().request('/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'E_NOT_FOUND' } })
  })
})
