/**
 * A JSON-RPC session over one websocket, with go-jsonrpc's channel streaming: a streaming method answers
 * with a channel id, then `xrpc.ch.val` notifications `[chanId, value]`, then `xrpc.ch.close [chanId]`.
 * `xrpc.cancel [requestId]` aborts a call or its channel.
 */
import { dispatchMessage, errorResponse, stringifyResponse, type DispatchContext } from './dispatch.ts'
import { CancelledError, ParseError } from './errors.ts'
import { RequestScope } from './scope.ts'
import type { RpcId } from './types.ts'

/** The little a session needs from a websocket. */
export interface SocketLike {
  send(data: string): void
  close(code?: number, reason?: string): void
  /** Bytes queued but not yet sent; used for backpressure when the runtime tells. */
  bufferedAmount?(): number
}

/** How much may be queued on a socket before a channel waits for it to drain. */
const HIGH_WATER = 1 << 20

interface Channel {
  id: number
  requestId: RpcId
  stream: AsyncIterable<unknown>
  /** The channel's own cancellation; disposed when the channel ends. */
  scope: RequestScope
}

/** A websocket JSON-RPC session; feed it text messages and tell it when the socket closes. */
export class RpcSession {
  readonly #socket: SocketLike
  readonly #ctx: Omit<DispatchContext, 'transport' | 'openChannel' | 'signal'>
  readonly #dispatch: DispatchContext
  readonly #closed = new AbortController()
  readonly #channels = new Map<number, Channel>()
  readonly #inflight = new Map<string, RequestScope>()
  #pending: Channel[] = []
  #nextChannel = 1
  #onChannelError?: (err: unknown) => void

  constructor(socket: SocketLike, ctx: Omit<DispatchContext, 'transport' | 'openChannel' | 'signal'>, onChannelError?: (err: unknown) => void) {
    this.#socket = socket
    this.#ctx = ctx
    this.#onChannelError = onChannelError
    this.#dispatch = {
      ...ctx,
      transport: 'ws',
      signal: this.#closed.signal,
      openChannel: (requestId, stream, scope) => {
        const ch: Channel = { id: this.#nextChannel++, requestId, stream, scope }
        this.#channels.set(ch.id, ch)
        this.#pending.push(ch)
        return ch.id
      },
    }
  }

  /** Open channels (for metrics and tests). */
  get channelCount(): number {
    return this.#channels.size
  }

  /** Handles one text frame. */
  async onMessage(text: string): Promise<void> {
    let msg: unknown
    try {
      msg = JSON.parse(text)
    } catch (cause) {
      this.#send(errorResponse(null, new ParseError({ cause })))
      return
    }
    if (isCancel(msg)) {
      const key = requestKey({ id: msg.params[0] })!
      this.#inflight.get(key)?.cancel(new CancelledError())
      for (const ch of this.#channels.values()) if (requestKey({ id: ch.requestId }) === key) ch.scope.cancel(new CancelledError())
      return
    }
    const key = requestKey(msg)
    const scope = new RequestScope(this.#closed.signal, this.#ctx.timeoutMs)
    if (key) this.#inflight.set(key, scope)
    try {
      const response = await dispatchMessage(msg, this.#dispatch, scope)
      if (response !== null) this.#send(response)
    } finally {
      if (key) this.#inflight.delete(key)
      scope.dispose()
    }
    // Channels start only after their id has gone out, so no value overtakes the response.
    const start = this.#pending
    this.#pending = []
    for (const ch of start) void this.#pump(ch)
  }

  /** The socket closed: abort every call and channel. */
  onClose(): void {
    this.#closed.abort(new CancelledError())
    for (const ch of this.#channels.values()) ch.scope.cancel(new CancelledError())
  }

  async #pump(ch: Channel): Promise<void> {
    const it = ch.stream[Symbol.asyncIterator]()
    const onAbort = () => void it.return?.()
    ch.scope.signal.addEventListener('abort', onAbort, { once: true })
    try {
      while (!ch.scope.signal.aborted) {
        const next = await it.next()
        if (next.done || ch.scope.signal.aborted) break
        this.#send({ jsonrpc: '2.0', method: 'xrpc.ch.val', params: [ch.id, next.value] })
        await this.#drain(ch.scope.signal)
      }
    } catch (err) {
      if (!ch.scope.signal.aborted) this.#onChannelError?.(err)
    } finally {
      ch.scope.signal.removeEventListener('abort', onAbort)
      ch.scope.dispose()
      this.#channels.delete(ch.id)
      if (!this.#closed.signal.aborted) this.#send({ jsonrpc: '2.0', method: 'xrpc.ch.close', params: [ch.id] })
    }
  }

  async #drain(signal: AbortSignal): Promise<void> {
    const buffered = this.#socket.bufferedAmount
    if (!buffered) return
    while (buffered.call(this.#socket) > HIGH_WATER && !signal.aborted && !this.#closed.signal.aborted) {
      await new Promise((r) => setTimeout(r, 5))
    }
  }

  #send(value: unknown): void {
    if (this.#closed.signal.aborted) return
    try {
      this.#socket.send(stringifyResponse(value))
    } catch (err) {
      // The peer vanished between our check and the send; the close event follows.
      this.#onChannelError?.(err)
    }
  }
}

function isCancel(msg: unknown): msg is { method: 'xrpc.cancel'; params: [RpcId] } {
  const m = msg as { method?: unknown; params?: unknown } | null
  return !!m && m.method === 'xrpc.cancel' && Array.isArray(m.params) && m.params.length === 1
}

function requestKey(msg: unknown): string | null {
  const m = msg as { id?: unknown } | null
  if (!m || Array.isArray(m) || !('id' in m)) return null
  return typeof m.id === 'number' ? String(m.id) : JSON.stringify(m.id)
}

