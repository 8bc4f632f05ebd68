import { describe, expect, it } from 'vitest'
import { defineMethod, dispatchBody, p, RpcRegistry, type DispatchContext } from '../../../src/http/rpc/index.ts'

class NotFound extends Error {
  override name = 'NotFound'
  readonly code = 'E_NOT_FOUND'
}

const registry = new RpcRegistry().add(
  defineMethod({ name: 'Test.Echo', perm: 'read', params: [p.string('text'), p.optional(p.integer('times'))], handler: ([text, times]) => text.repeat(times ?? 1) }),
  defineMethod({ name: 'Test.Admin', perm: 'admin', params: [], handler: () => 'ok' }),
  defineMethod({ name: 'Test.Missing', perm: 'read', params: [], handler: () => { throw new NotFound('no such thing') } }),
  defineMethod({ name: 'Test.Bug', perm: 'read', params: [], handler: () => { throw new TypeError('oops') } }),
  defineMethod({ name: 'Test.Slow', perm: 'read', params: [], handler: (_p, ctx) => new Promise((r) => ctx.signal.addEventListener('abort', () => r('aborted'))) }),
  defineMethod({ name: 'Test.Cid', perm: 'read', params: [p.cid('root')], handler: ([root]) => root.toString() }),
  defineMethod({ name: 'Test.Big', perm: 'read', params: [p.uint64('n')], handler: ([n]) => n * 2n }),
  defineMethod({ name: 'Test.Stream', perm: 'read', params: [], stream: true, handler: async function* () { yield 1 } }),
)

function ctx(over: Partial<DispatchContext> = {}): DispatchContext {
  return { registry, perms: ['read', 'write'], transport: 'http', signal: new AbortController().signal, timeoutMs: 0, ...over }
}

const call = (body: unknown, over?: Partial<DispatchContext>) => dispatchBody(typeof body === 'string' ? body : JSON.stringify(body), ctx(over))

describe('JSON-RPC dispatch', () => {
  it('answers a call with its result and id', async () => {
    expect(await call({ jsonrpc: '2.0', id: 7, method: 'Test.Echo', params: ['ab', 2] })).toEqual({ jsonrpc: '2.0', id: 7, result: 'abab' })
  })

  it('accepts params by name', async () => {
    expect(await call({ jsonrpc: '2.0', id: 'x', method: 'Test.Echo', params: { text: 'a', times: 3 } })).toMatchObject({ result: 'aaa' })
  })

  it('answers malformed JSON with -32700 and a null id', async () => {
    expect(await call('{"jsonrpc": "2.0", "method"')).toMatchObject({ id: null, error: { code: -32700, data: { code: 'E_RPC_PARSE' } } })
  })

  it('answers a request that is not JSON-RPC 2.0 with -32600', async () => {
    for (const bad of [{ jsonrpc: '1.0', id: 1, method: 'Test.Echo' }, { jsonrpc: '2.0', id: 1, method: 5 }, { jsonrpc: '2.0', id: {}, method: 'x' }, 42, { jsonrpc: '2.0', id: 1, method: 'Test.Echo', params: 'x' }]) {
      expect(await call(bad)).toMatchObject({ error: { code: -32600 } })
    }
  })

  it('answers an empty batch with one -32600 error', async () => {
    expect(await call([])).toMatchObject({ id: null, error: { code: -32600 } })
  })

  it('answers an unknown method with -32601', async () => {
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Nope.Nope' })).toMatchObject({ id: 1, error: { code: -32601, data: { code: 'E_RPC_METHOD_NOT_FOUND' } } })
  })

  it('answers wrong params with -32602 naming the parameter', async () => {
    const r = (await call({ jsonrpc: '2.0', id: 1, method: 'Test.Echo', params: [5] })) as { error: { code: number; message: string } }
    expect(r.error.code).toBe(-32602)
    expect(r.error.message).toContain('text')
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Echo', params: [] })).toMatchObject({ error: { code: -32602 } })
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Echo', params: ['a', 1, 2] })).toMatchObject({ error: { code: -32602 } })
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Cid', params: ['not-a-cid'] })).toMatchObject({ error: { code: -32602 } })
  })

  it('parses Lotus-style CIDs and uint64 strings', async () => {
    const cid = 'bafkreifqjaxqkujabprwb7q5ktwgse2oi4wqebkogcec7igpw43rtnjoha'
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Cid', params: [{ '/': cid }] })).toMatchObject({ result: cid })
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Big', params: ['9007199254740993'] })).toMatchObject({ result: 18014398509481986n })
  })

  it('maps a typed error through the table and keeps its stable code', async () => {
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Missing' })).toMatchObject({ error: { code: 16, message: 'no such thing', data: { code: 'E_NOT_FOUND' } } })
  })

  it('answers an untyped error with -32603 and reports it as a bug', async () => {
    const seen: unknown[] = []
    const r = await call({ jsonrpc: '2.0', id: 1, method: 'Test.Bug' }, { onInternalError: (_m, e) => seen.push(e) })
    expect(r).toMatchObject({ error: { code: -32603, data: { code: 'E_INTERNAL' } } })
    expect(seen).toHaveLength(1)
  })

  it('refuses a method the token lacks permission for', async () => {
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Admin' })).toMatchObject({ error: { code: 3, data: { code: 'E_PERMISSION_DENIED' } } })
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Admin' }, { perms: ['read', 'write', 'sign', 'admin'] })).toMatchObject({ result: 'ok' })
  })

  it('sends nothing back for notifications, even failing ones', async () => {
    expect(await call({ jsonrpc: '2.0', method: 'Test.Echo', params: ['a'] })).toBeNull()
    expect(await call({ jsonrpc: '2.0', method: 'Nope.Nope' })).toBeNull()
  })

  it('answers a batch in order, leaving out notifications', async () => {
    const r = await call([
      { jsonrpc: '2.0', id: 1, method: 'Test.Echo', params: ['a'] },
      { jsonrpc: '2.0', method: 'Test.Echo', params: ['b'] },
      { jsonrpc: '2.0', id: 2, method: 'Nope' },
      7,
    ])
    expect(r).toEqual([
      { jsonrpc: '2.0', id: 1, result: 'a' },
      expect.objectContaining({ id: 2, error: expect.objectContaining({ code: -32601 }) }),
      expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32600 }) }),
    ])
  })

  it('answers a batch of only notifications with nothing', async () => {
    expect(await call([{ jsonrpc: '2.0', method: 'Test.Echo', params: ['a'] }])).toBeNull()
  })

  it('times a call out and aborts its signal', async () => {
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Slow' }, { timeoutMs: 20 })).toMatchObject({ error: { data: { code: 'E_REQUEST_TIMEOUT' } } })
  })

  it('refuses a streaming method over plain HTTP', async () => {
    expect(await call({ jsonrpc: '2.0', id: 1, method: 'Test.Stream' })).toMatchObject({ error: { data: { code: 'E_RPC_NEEDS_WEBSOCKET' } } })
  })

  it('refuses to register the same method twice', () => {
    expect(() => new RpcRegistry().add(registry.get('Test.Echo')!, registry.get('Test.Echo')!)).toThrow(TypeError)
  })
})
