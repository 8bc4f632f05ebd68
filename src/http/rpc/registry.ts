/** The method registry: every JSON-RPC method is declared once with its permission and params. */
import type { Param } from './params.ts'
import type { RpcMethod } from './types.ts'

/** Declares a method; exists for type inference of `handler`'s params from `params`. */
export function defineMethod<const P extends readonly Param<unknown>[], R>(method: RpcMethod<P, R>): RpcMethod<P, R> {
  return method
}

/** A set of methods keyed by full name. */
export class RpcRegistry {
  readonly #methods = new Map<string, RpcMethod>()

  /** Adds methods; a duplicate name is a programming error and throws. */
  add(...methods: RpcMethod<any, any>[]): this {
    for (const m of methods) {
      if (this.#methods.has(m.name)) throw new TypeError(`duplicate RPC method ${m.name}`)
      this.#methods.set(m.name, m as RpcMethod)
    }
    return this
  }

  get(name: string): RpcMethod | undefined {
    return this.#methods.get(name)
  }

  /** Every method, sorted by name. */
  list(): RpcMethod[] {
    return [...this.#methods.values()].sort((a, b) => a.name.localeCompare(b.name))
  }
}
