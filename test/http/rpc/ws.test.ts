import { describe, expect, it } from 'vitest'
import { defineMethod, p, RpcRegistry, RpcSession } from '../../../src/http/rpc/index.ts'

function socket() {
  const sent: any[] = []
  return { sent, send: (d: string) => sent.push(JSON.parse(d)), close() {} }
}

const registry = new RpcRegistry().add(
  defineMethod({ name: 'T.Count', perm: 'read', params: [p.integer('n')], stream: true, handler: async function* ([n]) { for (let i = 0; i < n; i++) yield i } }),
  defineMethod({
    name: 'T.Forever',
    perm: 'read',
    params: [],
    stream: true,
    handler: async function* (_p, ctx) {
      for (let i = 0; !ctx.signal.aborted; i++) {
        yield i
        await new Promise((r) => setTimeout(r, 2))
      }
    },
  }),
  defineMethod({ name: 'T.Echo', perm: 'read', params: [p.string('s')], handler: ([s]) => s }),
)

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2))
}

describe('websocket JSON-RPC sessions', () => {
  it('streams a channel: id first, then values, then close', async () => {
    const s = socket()
    const session = new RpcSession(s, { registry, perms: ['read'], timeoutMs: 0 })
    await session.onMessage(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'T.Count', params: [3] }))
    await until(() => s.sent.some((m) => m.method === 'xrpc.ch.close'))
    expect(s.sent).toEqual([
      { jsonrpc: '2.0', id: 1, result: 1 },
      { jsonrpc: '2.0', method: 'xrpc.ch.val', params: [1, 0] },
      { jsonrpc: '2.0', method: 'xrpc.ch.val', params: [1, 1] },
      { jsonrpc: '2.0', method: 'xrpc.ch.val', params: [1, 2] },
      { jsonrpc: '2.0', method: 'xrpc.ch.close', params: [1] },
    ])
  })

  it('answers plain calls and parse errors on the same socket', async () => {
    const s = socket()
    const session = new RpcSession(s, { registry, perms: ['read'], timeoutMs: 0 })
    await session.onMessage(JSON.stringify({ jsonrpc: '2.0', id: 'a', method: 'T.Echo', params: ['hi'] }))
    await session.onMessage('{oops')
    expect(s.sent).toEqual([{ jsonrpc: '2.0', id: 'a', result: 'hi' }, expect.objectContaining({ id: null, error: expect.objectContaining({ code: -32700 }) })])
  })

  it('stops a channel on xrpc.cancel and closes it', async () => {
    const s = socket()
    const session = new RpcSession(s, { registry, perms: ['read'], timeoutMs: 0 })
    await session.onMessage(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'T.Forever', params: [] }))
    await until(() => s.sent.filter((m) => m.method === 'xrpc.ch.val').length >= 3)
    await session.onMessage(JSON.stringify({ jsonrpc: '2.0', method: 'xrpc.cancel', params: [9] }))
    await until(() => s.sent.some((m) => m.method === 'xrpc.ch.close'))
    expect(session.channelCount).toBe(0)
  })

  it('stops every channel when the socket closes', async () => {
    const s = socket()
    const session = new RpcSession(s, { registry, perms: ['read'], timeoutMs: 0 })
    await session.onMessage(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'T.Forever', params: [] }))
    await session.onMessage(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'T.Forever', params: [] }))
    await until(() => session.channelCount === 2)
    session.onClose()
    await until(() => session.channelCount === 0)
    expect(session.channelCount).toBe(0)
  })
})
