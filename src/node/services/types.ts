/**
 * A node service: a part of the node (dagstore, imports, gateway, …) that opens over the repo, contributes
 * JSON-RPC methods and HTTP routes, and closes on shutdown. node.ts starts them in order and closes them in
 * reverse order; a later service finds an earlier one through `ctx.get`.
 */
import type { Hono } from 'hono'
import type { AppEnv } from '../../http/app.ts'
import type { MetricsRegistry } from '../../http/metrics.ts'
import type { RpcMethod } from '../../http/rpc/types.ts'
import type { LogHub } from '../log/index.ts'
import type { Repo } from '../repo/repo.ts'

/** What a service is opened with. */
export interface ServiceContext {
  repo: Repo
  logs: LogHub
  metrics: MetricsRegistry
  /** Aborted when the node starts shutting down. */
  signal: AbortSignal
  /** An earlier service's value, by name; throws if it is not open. */
  get<T>(name: string): T
}

/** An open service. */
export interface NodeService<T = unknown> {
  name: string
  /** What `ctx.get(name)` returns to later services. */
  value?: T
  /** Methods added to the registry. */
  methods?: RpcMethod<any, any>[]
  /** Adds HTTP routes to the app. */
  mount?(app: Hono<AppEnv>): void
  /** Runs once the server listens (background work such as the startup sanity check). */
  started?(): void | Promise<void>
  /** Releases everything; called once, in reverse order of opening. */
  close?(): void | Promise<void>
}

/** Opens a service. */
export type ServiceFactory = (ctx: ServiceContext) => NodeService | Promise<NodeService>
