/**
 * The Hono app: JSON-RPC over HTTP and websocket, health, metrics, and whatever routes later parts mount
 * (gateway, pieces). Runtime-neutral: the websocket upgrade and the socket's buffer probe are passed in.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { UpgradeWebSocket } from 'hono/ws'
import type { TokenAuthority } from './auth/jwt.ts'
import { AuthRequiredError, BodyTooLargeError, describeError, ShuttingDownError } from './errors.ts'
import type { MetricsRegistry } from './metrics.ts'
import { dispatchBody, stringifyResponse, type DispatchContext } from './rpc/dispatch.ts'
import type { RpcRegistry } from './rpc/registry.ts'
import type { Permission } from './rpc/types.ts'
import { RpcSession } from './rpc/ws.ts'

/** Everything the app is given by the node. */
export interface AppOptions {
  registry: RpcRegistry
  tokens: TokenAuthority
  metrics: MetricsRegistry
  /** Permissions of callers without a token; empty means such calls get 401. */
  anonymousPerms: readonly Permission[]
  /** Largest request body accepted (413 past it). */
  maxBodyBytes: number
  /** Per-call timeout for JSON-RPC, in ms (0 = none). */
  requestTimeoutMs: number
  /** Whether the node is ready to serve (readyz). */
  ready: () => boolean
  /** Set once shutdown began: new requests get 503. */
  shuttingDown: () => boolean
  /** Aborts on shutdown, so in-flight calls can stop early. */
  shutdownSignal: AbortSignal
  /** The runtime's websocket upgrade (hono/bun's in petal); without it GET /rpc/v0 is 400. */
  upgradeWebSocket?: UpgradeWebSocket<any>
  /** Bytes queued on a raw socket, for channel backpressure. */
  bufferedAmount?: (raw: unknown) => number
  /** Reports errors that are bugs (no stable code). */
  onInternalError?: (where: string, err: unknown) => void
  /** Called after every JSON-RPC call (for debug logging). */
  onRpcCall?: (method: string, seconds: number, code: string | null) => void
  /** Mounts further routes (gateway, pieces, dashboard) before the catch-all. */
  mount?: (app: Hono<AppEnv>) => void
}

/** Variables handlers can read from the context. */
export type AppEnv = { Variables: { perms: readonly Permission[] } }

/** Builds the app and returns it with a counter of in-flight requests (used by graceful shutdown). */
export function createApp(opts: AppOptions): { app: Hono<AppEnv>; inflight: () => number } {
  const app = new Hono<AppEnv>()
  const requests = opts.metrics.counter('petal_http_requests_total', 'HTTP requests by route, method and status')
  const latency = opts.metrics.histogram('petal_http_request_duration_seconds', 'HTTP request latency by route')
  const rpcCalls = opts.metrics.counter('petal_rpc_calls_total', 'JSON-RPC calls by method and outcome code')
  const rpcLatency = opts.metrics.histogram('petal_rpc_call_duration_seconds', 'JSON-RPC call latency by method')
  let inflight = 0
  // Bound metric handles by label values, so the hot path formats no label strings.
  const bound = new Map<string, Map<unknown, { record(seconds: number): void }>>()
  const series = (a: string, b: unknown, make: () => { record(seconds: number): void }) => {
    let inner = bound.get(a)
    if (!inner) bound.set(a, (inner = new Map()))
    let s = inner.get(b)
    if (!s) inner.set(b, (s = make()))
    return s
  }

  app.onError((err, c) => {
    const d = describeError(err)
    if (d.code === 'E_INTERNAL') opts.onInternalError?.(c.req.path, err)
    return c.json({ error: { code: d.code, message: d.message } }, d.http as 500)
  })
  app.notFound((c) => c.json({ error: { code: 'E_NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404))

  app.use('*', async (c, next) => {
    if (opts.shuttingDown()) throw new ShuttingDownError()
    inflight++
    const started = performance.now()
    try {
      await next()
    } finally {
      inflight--
      const route = c.req.routePath || 'unmatched'
      const status = c.res.status
      series(`h ${route} ${c.req.method}`, status, () => {
        const count = requests.bind({ route, method: c.req.method, status: String(status) })
        const time = latency.bind({ route })
        return {
          record: (v: number) => {
            count.inc()
            time.observe(v)
          },
        }
      }).record((performance.now() - started) / 1000)
    }
  })

  app.get('/health/livez', (c) => c.text('ok'))
  app.get('/health/readyz', (c) => (opts.ready() ? c.text('ok') : c.text('not ready', 503)))
  app.get('/debug/metrics', (c) => c.text(opts.metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }))

  const authenticate = bearerAuth(opts)
  const dispatch: Omit<DispatchContext, 'perms' | 'transport' | 'signal'> = {
    registry: opts.registry,
    timeoutMs: opts.requestTimeoutMs,
    observe: (method, seconds, code) => {
      series(method, code, () => {
        const count = rpcCalls.bind({ method, code: code ?? 'ok' })
        const time = rpcLatency.bind({ method })
        return {
          record: (v: number) => {
            count.inc()
            time.observe(v)
          },
        }
      }).record(seconds)
      opts.onRpcCall?.(method, seconds, code)
    },
    onInternalError: (method, err) => opts.onInternalError?.(method, err),
  }

  for (const path of ['/rpc/v0', '/rpc/v1']) {
    app.post(path, authenticate, async (c) => {
      const text = await readBodyLimited(c.req.raw, opts.maxBodyBytes)
      const signal = [c.req.raw.signal, opts.shutdownSignal]
      const response = await dispatchBody(text, { ...dispatch, perms: c.var.perms, transport: 'http', signal })
      if (response === null) return c.body(null, 204)
      return new Response(stringifyResponse(response), { headers: JSON_HEADERS })
    })
    if (opts.upgradeWebSocket) {
      const upgrade = opts.upgradeWebSocket
      app.get(
        path,
        authenticate,
        upgrade((c) => {
          let session: RpcSession | undefined
          return {
            onOpen: (_evt, ws) => {
              session = new RpcSession(
                { send: (d) => ws.send(d), close: (code, reason) => ws.close(code, reason), bufferedAmount: opts.bufferedAmount ? () => opts.bufferedAmount!(ws.raw) : undefined },
                { ...dispatch, perms: c.var.perms },
                (err) => opts.onInternalError?.(`${path} channel`, err),
              )
            },
            onMessage: (evt) => {
              const data = evt.data
              const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer)
              void session?.onMessage(text)
            },
            onClose: () => session?.onClose(),
          }
        }),
      )
    }
  }

  opts.mount?.(app)
  return { app, inflight: () => inflight }
}

/** Bearer-token middleware: sets `perms`, or answers 401. A `?token=` query works for browsers' websockets. */
export function bearerAuth(opts: Pick<AppOptions, 'tokens' | 'anonymousPerms'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c)
    if (token === undefined) {
      if (opts.anonymousPerms.length === 0) throw new AuthRequiredError()
      c.set('perms', opts.anonymousPerms)
    } else {
      c.set('perms', opts.tokens.verify(token))
    }
    await next()
  }
}

function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization')
  if (header) {
    const m = header.match(/^Bearer\s+(.+)$/i)
    return m ? m[1].trim() : header.trim()
  }
  return c.req.query('token') || undefined
}

/** Reads a request body as text, refusing more than `max` bytes (413) without buffering past the cap. */
export async function readBodyLimited(req: Request, max: number): Promise<string> {
  const length = req.headers.get('content-length')
  const declared = length === null ? NaN : Number(length)
  if (declared > max) throw new BodyTooLargeError(max)
  // A declared length within the cap is enforced by the server's HTTP parser: read it in one go.
  if (declared >= 0) return req.text()
  if (!req.body) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      throw new BodyTooLargeError(max)
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))
}

const JSON_HEADERS = { 'content-type': 'application/json' }
