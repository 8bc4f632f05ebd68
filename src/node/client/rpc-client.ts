/** A JSON-RPC client for the CLI: calls over HTTP, channels over the websocket. */
import { NodeUnreachableError, RemoteError } from '../errors.ts'
import type { ApiInfo } from './api-info.ts'

interface RpcError {
  code: number | string
  message: string
  data?: { code?: string }
}

/** Talks to one node. */
export class ApiClient {
  #nextId = 1
  constructor(readonly info: ApiInfo) {}

  /** Calls `method` with positional params and returns its result; RPC errors become RemoteError. */
  async call<T = unknown>(method: string, params: unknown[] = [], signal?: AbortSignal): Promise<T> {
    let res: Response
    try {
      res = await fetch(`${this.info.url}/rpc/v0`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.info.token ? { authorization: `Bearer ${this.info.token}` } : {}) },
        body: JSON.stringify({ jsonrpc: '2.0', id: this.#nextId++, method, params }),
        signal,
      })
    } catch (cause) {
      throw new NodeUnreachableError(`cannot reach node at ${this.info.url}: ${(cause as Error).message}`, { cause })
    }
    const text = await res.text()
    let body: { result?: T; error?: RpcError }
    try {
      body = JSON.parse(text)
    } catch {
      throw new RemoteError('E_REMOTE_HTTP', `node answered HTTP ${res.status}: ${text.slice(0, 200)}`, 0)
    }
    if (body.error) throw remoteError(body.error)
    if (!res.ok) throw new RemoteError('E_REMOTE_HTTP', `node answered HTTP ${res.status}`, 0)
    return body.result as T
  }

  /** Calls a streaming method over the websocket and yields each channel value until the channel closes. */
  async *stream<T = unknown>(method: string, params: unknown[] = [], signal?: AbortSignal): AsyncIterable<T> {
    const url = `${this.info.url.replace(/^http/, 'ws')}/rpc/v0${this.info.token ? `?token=${encodeURIComponent(this.info.token)}` : ''}`
    const ws = new WebSocket(url)
    const queue: Array<{ value?: T; done?: true; error?: Error }> = []
    let wake: (() => void) | null = null
    const push = (item: (typeof queue)[number]) => {
      queue.push(item)
      wake?.()
    }
    let channel: number | null = null
    const id = this.#nextId++
    ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    ws.onerror = () => push({ error: new NodeUnreachableError(`cannot reach node at ${url.replace(/\?token=.*/, '')}`) })
    ws.onclose = () => push({ done: true })
    ws.onmessage = (evt) => {
      const msg = JSON.parse(String(evt.data)) as { id?: number; result?: number; error?: RpcError; method?: string; params?: [number, T?] }
      if (msg.id === id) {
        if (msg.error) push({ error: remoteError(msg.error) })
        else channel = msg.result as number
      } else if (msg.method === 'xrpc.ch.val' && msg.params?.[0] === channel) push({ value: msg.params[1] as T })
      else if (msg.method === 'xrpc.ch.close' && msg.params?.[0] === channel) push({ done: true })
    }
    const onAbort = () => ws.close()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      for (;;) {
        if (queue.length === 0) await new Promise<void>((r) => (wake = r))
        wake = null
        const item = queue.shift()!
        if (item.error) throw item.error
        if (item.done) return
        yield item.value as T
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      ws.close()
    }
  }
}

/** A JSON-RPC error object, or the plain `{code, message}` the HTTP layer answers with, as RemoteError. */
function remoteError(e: RpcError): RemoteError {
  if (typeof e.code === 'string') return new RemoteError(e.code, e.message, 0)
  return new RemoteError(e.data?.code ?? 'E_REMOTE', e.message, e.code)
}
