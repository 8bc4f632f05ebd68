/**
 * JSON-RPC 2.0 dispatch shared by HTTP and the websocket: single and batch requests, notifications,
 * params checks, permissions, timeouts, and error mapping through src/http/errors.ts.
 * https://www.jsonrpc.org/specification
 */
import { describeError, PermissionDeniedError, RequestTimeoutError } from '../errors.ts'
import { InvalidRequestError, MethodNotFoundError, NeedsWebSocketError, ParseError } from './errors.ts'
import { parseParams } from './params.ts'
import type { RpcRegistry } from './registry.ts'
import type { Permission, RpcId, RpcMethod, RpcResponse } from './types.ts'

/** Everything a dispatch needs besides the request. */
export interface DispatchContext {
  registry: RpcRegistry
  perms: readonly Permission[]
  transport: 'http' | 'ws'
  /** Aborts every call of this request (client gone, shutdown). */
  signal: AbortSignal
  /** Per-call timeout in ms; 0 disables. Streaming calls are bounded only until their channel opens. */
  timeoutMs: number
  /** Opens a channel for a streaming result and returns its id (websocket only). */
  openChannel?: (id: RpcId, stream: AsyncIterable<unknown>, abort: AbortController) => number
  /** Called after each call with its method name (or `unknown`), duration and outcome code. */
  observe?: (method: string, seconds: number, code: string | null) => void
  /** Called with errors that are not petal's typed errors (bugs), for logging. */
  onInternalError?: (method: string, err: unknown) => void
}

/** Handles one body: returns a response, an array for batches, or null when nothing is to be sent back. */
export async function dispatchBody(text: string, ctx: DispatchContext): Promise<RpcResponse | RpcResponse[] | null> {
  let msg: unknown
  try {
    msg = JSON.parse(text)
  } catch (cause) {
    return errorResponse(null, new ParseError({ cause }))
  }
  return dispatchMessage(msg, ctx)
}

/** Handles one parsed JSON value (request or batch). */
export async function dispatchMessage(msg: unknown, ctx: DispatchContext): Promise<RpcResponse | RpcResponse[] | null> {
  if (Array.isArray(msg)) {
    if (msg.length === 0) return errorResponse(null, new InvalidRequestError('empty batch'))
    const out = await Promise.all(msg.map((m) => dispatchOne(m, ctx)))
    const responses = out.filter((r): r is RpcResponse => r !== null)
    return responses.length > 0 ? responses : null
  }
  return dispatchOne(msg, ctx)
}

async function dispatchOne(msg: unknown, ctx: DispatchContext): Promise<RpcResponse | null> {
  if (typeof msg !== 'object' || msg === null) return errorResponse(null, new InvalidRequestError('not an object'))
  const req = msg as Record<string, unknown>
  const hasId = 'id' in req
  const id = validId(req.id) ? (req.id as RpcId) : null
  if (hasId && !validId(req.id)) return errorResponse(null, new InvalidRequestError('id must be a string, number or null'))
  if (req.jsonrpc !== '2.0') return errorResponse(id, new InvalidRequestError('jsonrpc must be "2.0"'))
  if (typeof req.method !== 'string') return errorResponse(id, new InvalidRequestError('method must be a string'))
  if (req.params !== undefined && (typeof req.params !== 'object' || req.params === null)) {
    return errorResponse(id, new InvalidRequestError('params must be an array or an object'))
  }
  const started = performance.now()
  const method = ctx.registry.get(req.method)
  try {
    if (!method) throw new MethodNotFoundError(req.method)
    const result = await call(method, req.params, id, ctx)
    ctx.observe?.(method.name, (performance.now() - started) / 1000, null)
    return hasId ? { jsonrpc: '2.0', id, result: result === undefined ? null : result } : null
  } catch (err) {
    const d = describeError(err)
    if (d.code === 'E_INTERNAL') ctx.onInternalError?.(req.method, err)
    ctx.observe?.(method ? method.name : 'unknown', (performance.now() - started) / 1000, d.code)
    return hasId ? errorResponse(id, err) : null
  }
}

async function call(method: RpcMethod, rawParams: unknown, id: RpcId, ctx: DispatchContext): Promise<unknown> {
  if (!ctx.perms.includes(method.perm)) throw new PermissionDeniedError(method.name, method.perm)
  if (method.stream && !ctx.openChannel) throw new NeedsWebSocketError(method.name)
  const params = parseParams(method.params, rawParams)
  const abort = new AbortController()
  const onOuterAbort = () => abort.abort(ctx.signal.reason)
  if (ctx.signal.aborted) onOuterAbort()
  else ctx.signal.addEventListener('abort', onOuterAbort, { once: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const run = Promise.resolve(method.handler(params as never, { perms: ctx.perms, signal: abort.signal, transport: ctx.transport }))
    const result = ctx.timeoutMs > 0 ? await Promise.race([run, timeout(ctx.timeoutMs, abort, (t) => (timer = t))]) : await run
    if (method.stream) return ctx.openChannel!(id, result as AsyncIterable<unknown>, abort)
    return result
  } finally {
    if (timer) clearTimeout(timer)
    if (!method.stream) ctx.signal.removeEventListener('abort', onOuterAbort)
  }
}

function timeout(ms: number, abort: AbortController, keep: (t: ReturnType<typeof setTimeout>) => void): Promise<never> {
  return new Promise((_, reject) => {
    keep(
      setTimeout(() => {
        const err = new RequestTimeoutError(ms)
        reject(err) // settle first, so a handler that returns on abort does not win the race
        abort.abort(err)
      }, ms),
    )
  })
}

function validId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

/** Builds an error response from any thrown value through the error table. */
export function errorResponse(id: RpcId, err: unknown): RpcResponse {
  const d = describeError(err)
  return { jsonrpc: '2.0', id, error: { code: d.rpc, message: d.message, data: { code: d.code } } }
}
