/** Serves a Hono app with Bun.serve, including websockets (hono/bun's adapter). */
import { upgradeWebSocket, websocket } from 'hono/bun'

/** A running server. */
export interface Server {
  hostname: string
  port: number
  /** Stops accepting connections; `force` also closes open ones (in-flight requests fail). */
  stop(force?: boolean): Promise<void>
}

/** Starts listening; `port` 0 picks a free port. */
export function serve(options: { hostname: string; port: number; fetch: (req: Request, server: unknown) => Response | Promise<Response>; idleTimeoutSeconds?: number }): Server {
  const server = Bun.serve({
    hostname: options.hostname,
    port: options.port,
    fetch: options.fetch as never,
    websocket,
    idleTimeout: options.idleTimeoutSeconds ?? 120,
    development: false,
  })
  return {
    hostname: server.hostname ?? options.hostname,
    port: server.port ?? options.port,
    stop: (force = false) => server.stop(force),
  }
}

/** The websocket upgrade the app uses on GET /rpc/v0. */
export { upgradeWebSocket }

/** Bytes queued on a Bun ServerWebSocket, for channel backpressure. */
export function bufferedAmount(raw: unknown): number {
  const ws = raw as { getBufferedAmount?: () => number } | undefined
  return ws?.getBufferedAmount?.() ?? 0
}
