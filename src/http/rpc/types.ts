/** Types of petal's JSON-RPC 2.0 layer (Lotus-compatible method names, permissions and channels). */
import type { Param } from './params.ts'

/** Lotus's four API permissions. A token lists every permission it holds. */
export type Permission = 'read' | 'write' | 'sign' | 'admin'

/** All permissions in Lotus's order; `--perm sign` grants this list up to and including `sign`. */
export const ALL_PERMISSIONS: readonly Permission[] = ['read', 'write', 'sign', 'admin']

/** What a handler knows about its call. */
export interface RpcContext {
  /** Permissions of the caller's token (or of anonymous access). */
  perms: readonly Permission[]
  /** Fires when the caller goes away, the request times out, or the node shuts down. */
  signal: AbortSignal
  /** `http` for POST /rpc/v0, `ws` for the websocket. */
  transport: 'http' | 'ws'
}

/** Maps a tuple of `Param<T>` to the tuple of their parsed values. */
export type ParamValues<P extends readonly Param<unknown>[]> = { -readonly [K in keyof P]: P[K] extends Param<infer T> ? T : never }

/** One JSON-RPC method: its name, the permission it needs, how to check its params, what it does. */
export interface RpcMethod<P extends readonly Param<unknown>[] = readonly Param<unknown>[], R = unknown> {
  /** Full name as on the wire, e.g. `Filecoin.Version`. */
  name: string
  perm: Permission
  /** Positional parameters; a by-name object is mapped onto these names. */
  params: P
  /** One line for `petal` docs and errors. */
  description?: string
  /**
   * A streaming method returns an AsyncIterable: on the websocket the result is a channel id followed by
   * `xrpc.ch.val` notifications and a final `xrpc.ch.close` (go-jsonrpc's channel protocol).
   */
  stream?: boolean
  handler(params: ParamValues<P>, ctx: RpcContext): R | Promise<R>
}

/** A JSON-RPC id: string, number or null. */
export type RpcId = string | number | null

/** A success or error response object. */
export type RpcResponse =
  | { jsonrpc: '2.0'; id: RpcId; result: unknown }
  | { jsonrpc: '2.0'; id: RpcId; error: { code: number; message: string; data?: { code: string } } }
