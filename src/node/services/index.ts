/**
 * The node's services in start order. Each part of the node adds one factory here (one line) and keeps its
 * wiring in its own file beside this one.
 */
import type { Hono } from 'hono'
import type { AppEnv } from '../../http/app.ts'
import type { RpcMethod } from '../../http/rpc/types.ts'
import { commpService } from './commp.ts'
import { dagstoreService } from './dagstore.ts'
import { importsService } from './imports.ts'
import { retrievalService } from './retrieval.ts'
import { sectorsService } from './sectors.ts'
import type { NodeService, ServiceContext, ServiceFactory } from './types.ts'

export type { NodeService, ServiceContext, ServiceFactory } from './types.ts'

/** Every service, in the order they open. */
export const SERVICES: readonly ServiceFactory[] = [commpService, dagstoreService, sectorsService, importsService, retrievalService]

/** The open services of one node. */
export interface OpenServices {
  methods: RpcMethod<any, any>[]
  mount(app: Hono<AppEnv>): void
  started(): Promise<void>
  close(): Promise<void>
}

/** Opens `factories` in order; if one fails, those already open are closed and the error is rethrown. */
export async function openServices(base: Omit<ServiceContext, 'get'>, factories: readonly ServiceFactory[] = SERVICES): Promise<OpenServices> {
  const open: NodeService[] = []
  const byName = new Map<string, unknown>()
  const ctx: ServiceContext = {
    ...base,
    get<T>(name: string): T {
      if (!byName.has(name)) throw new Error(`service ${name} is not open (check the order in src/node/services/index.ts)`)
      return byName.get(name) as T
    },
  }
  const closeAll = async () => {
    for (const s of open.splice(0).reverse()) {
      try {
        await s.close?.()
      } catch (err) {
        base.logs.logger('node').error('closing service failed', { service: s.name, error: err })
      }
    }
  }
  try {
    for (const f of factories) {
      const s = await f(ctx)
      open.push(s)
      byName.set(s.name, s.value)
    }
  } catch (err) {
    await closeAll()
    throw err
  }
  return {
    methods: open.flatMap((s) => s.methods ?? []),
    mount: (app) => {
      for (const s of open) s.mount?.(app)
    },
    started: async () => {
      for (const s of open) {
        try {
          await s.started?.()
        } catch (err) {
          base.logs.logger('node').error('service start-up task failed', { service: s.name, error: err })
        }
      }
    },
    close: closeAll,
  }
}
