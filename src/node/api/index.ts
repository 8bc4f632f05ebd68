/** Every JSON-RPC method the node serves, built over its services. */
import { RpcRegistry } from '../../http/rpc/registry.ts'
import { commonMethods, type CommonServices } from './common.ts'

/** Services the API needs; later parts add theirs. */
export type ApiServices = CommonServices

/** The registry of every method. */
export function createRegistry(s: ApiServices): RpcRegistry {
  return new RpcRegistry().add(...commonMethods(s))
}

export * from './common.ts'
