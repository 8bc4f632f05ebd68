/**
 * JSON-RPC 2.0 dispatch shared by HTTP and the websocket: single and batch requests, notifications,
 * params checks, permissions, timeouts, and error mapping through src/http/errors.ts.
 * https://www.jsonrpc.org/specification
 */
import { describeError, PermissionDeniedError } from '../errors.ts'
import { InvalidRequestError, MethodNotFoundError, NeedsWebSocketError, ParseError } from './errors.ts'
import { parseParams } from './params.ts'
import type { RpcRegistry } from './registry.ts'
import { RequestScope } from './scope.ts'
import type { Permission, RpcId, RpcMethod, RpcResponse } from './types.ts'

/** Everything a dispatch needs besides the request. */
export interface DispatchContext {
  registry: RpcRegistry
  perms: readonly Permission[]
  transport: 'http' | 'ws'
  /** Abort every call of this request (client gone, session closed, shutdown). */
  signal: AbortSignal | AbortSignal[]
  /** Per-request timeout in ms; 0 disables. Streaming calls are bounded only until their channel opens. */
  timeoutMs: number
  /** Opens a channel for a streaming result and returns its id (websocket only). */
  openChannel?: (id: RpcId, stream: AsyncIterable<unknown>, scope: RequestScope) => number
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

/** Handles one parsed JSON value (request or batch). `scope` lets a websocket session cancel it. */
export async function dispatchMessage(msg: unknown, ctx: DispatchContext, scope?: RequestScope): Promise<RpcResponse | RpcResponse[] | null> {
  const own = scope ?? new RequestScope(ctx.signal, ctx.timeoutMs)
  try {
    if (!Array.isArray(msg)) return await dispatchOne(msg, ctx, own)
    if (msg.length === 0) return errorResponse(null, new InvalidRequestError('empty batch'))
    const out: Array<RpcResponse | null | Promise<RpcResponse | null>> = msg.map((m) => dispatchOne(m, ctx, own))
    const responses: RpcResponse[] = []
    for (const r of out) {
      const settled = r instanceof Promise ? await r : r
      if (settled !== null) responses.push(settled)
    }
    return responses.length > 0 ? responses : null
  } finally {
    if (!scope) own.dispose()
  }
}

/** One call; synchronous when its handler is, so batches of cheap calls allocate no promises. */
function dispatchOne(msg: unknown, ctx: DispatchContext, scope: RequestScope): RpcResponse | null | Promise<RpcResponse | null> {
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
    const result = call(method, req.params, id, ctx, scope)
    if (result instanceof Promise) {
      return scope.race(result).then(
        (r) => succeeded(ctx, method, hasId, id, started, r),
        (e) => failed(ctx, method, req.method as string, hasId, id, started, e),
      )
    }
    return succeeded(ctx, method, hasId, id, started, result)
  } catch (err) {
    return failed(ctx, method, req.method, hasId, id, started, err)
  }
}

function succeeded(ctx: DispatchContext, method: RpcMethod, hasId: boolean, id: RpcId, started: number, result: unknown): RpcResponse | null {
  ctx.observe?.(method.name, (performance.now() - started) / 1000, null)
  return hasId ? { jsonrpc: '2.0', id, result: result === undefined ? null : result } : null
}

function failed(ctx: DispatchContext, method: RpcMethod | undefined, name: string, hasId: boolean, id: RpcId, started: number, err: unknown): RpcResponse | null {
  const d = describeError(err)
  if (d.code === 'E_INTERNAL') ctx.onInternalError?.(name, err)
  ctx.observe?.(method ? method.name : 'unknown', (performance.now() - started) / 1000, d.code)
  return hasId ? errorResponse(id, err) : null
}

/** Runs a method; returns its result, or a promise of it when the handler is asynchronous. */
function call(method: RpcMethod, rawParams: unknown, id: RpcId, ctx: DispatchContext, scope: RequestScope): unknown {
  if (!ctx.perms.includes(method.perm)) throw new PermissionDeniedError(method.name, method.perm)
  if (method.stream) return openStream(method, rawParams, id, ctx, scope)
  const params = parseParams(method.params, rawParams)
  return method.handler(params as never, { perms: ctx.perms, signal: scope.signal, transport: ctx.transport })
}

/** A streaming method gets its own scope: its channel outlives the request that opened it. */
async function openStream(method: RpcMethod, rawParams: unknown, id: RpcId, ctx: DispatchContext, scope: RequestScope): Promise<number> {
  if (!ctx.openChannel) throw new NeedsWebSocketError(method.name)
  const params = parseParams(method.params, rawParams)
  const channel = new RequestScope(ctx.signal, 0)
  try {
    const stream = await scope.race(Promise.resolve(method.handler(params as never, { perms: ctx.perms, signal: channel.signal, transport: ctx.transport })))
    return ctx.openChannel(id, stream as AsyncIterable<unknown>, channel)
  } catch (err) {
    channel.cancel(err)
    channel.dispose()
    throw err
  }
}

function validId(id: unknown): boolean {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

/** Builds an error response from any thrown value through the error table. */
export function errorResponse(id: RpcId, err: unknown): RpcResponse {
  const d = describeError(err)
  return { jsonrpc: '2.0', id, error: { code: d.rpc, message: d.message, data: { code: d.code } } }
}

/** JSON with bigints as decimal strings; the replacer only runs when a bigint is actually present. */
export function stringifyResponse(value: unknown): string {
  try {
    return JSON.stringify(value)
  } catch (err) {
    if (!(err instanceof TypeError)) throw err
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  }
}
