/**
 * Parameter checkers for JSON-RPC methods. Each checker turns a JSON value into a typed value or throws
 * InvalidParamsError naming the parameter, which the dispatcher answers with -32602.
 */
import { CID } from 'multiformats/cid'
import { InvalidParamsError } from './errors.ts'

/** A named, typed parameter. */
export interface Param<T> {
  name: string
  optional: boolean
  parse(value: unknown, path: string): T
}

function param<T>(name: string, parse: (v: unknown, path: string) => T): Param<T> {
  return { name, optional: false, parse }
}

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
  throw new InvalidParamsError(`${path}: expected ${expected}, got ${got}`)
}

/** Checkers, named for what they accept. */
export const p = {
  string: (name: string) => param(name, (v, path) => (typeof v === 'string' ? v : fail(path, 'a string', v))),
  boolean: (name: string) => param(name, (v, path) => (typeof v === 'boolean' ? v : fail(path, 'a boolean', v))),
  number: (name: string) => param(name, (v, path) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a number', v))),
  integer: (name: string) =>
    param(name, (v, path) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(path, 'an integer', v))),
  /** A uint64 as a JSON number or decimal string (Lotus sends big values as strings). */
  uint64: (name: string) =>
    param(name, (v, path) => {
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v)
      if (typeof v === 'string' && /^\d{1,20}$/.test(v) && BigInt(v) < 2n ** 64n) return BigInt(v)
      return fail(path, 'an unsigned 64-bit integer', v)
    }),
  enum: <const E extends string>(name: string, values: readonly E[]) =>
    param(name, (v, path) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as E) : fail(path, `one of ${values.join('|')}`, v))),
  /** A CID as Lotus encodes it (`{"/": "bafy…"}`) or as a plain string. */
  cid: (name: string) =>
    param(name, (v, path) => {
      const s = typeof v === 'string' ? v : typeof v === 'object' && v !== null && typeof (v as { '/'?: unknown })['/'] === 'string' ? (v as { '/': string })['/'] : undefined
      if (s === undefined) return fail(path, 'a CID', v)
      try {
        return CID.parse(s)
      } catch (cause) {
        throw new InvalidParamsError(`${path}: not a valid CID: ${s}`, { cause })
      }
    }),
  array: <T>(name: string, item: Param<T>) =>
    param(name, (v, path) => (Array.isArray(v) ? v.map((x, i) => item.parse(x, `${path}[${i}]`)) : fail(path, 'an array', v))),
  /** A JSON object whose fields are checked; unknown fields are kept as they are. */
  object: <F extends Record<string, Param<unknown>>>(name: string, fields: F) =>
    param(name, (v, path) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, 'an object', v)
      const out: Record<string, unknown> = { ...(v as object) }
      for (const [key, f] of Object.entries(fields)) {
        const value = (v as Record<string, unknown>)[key]
        if (value === undefined || value === null) {
          if (!f.optional) throw new InvalidParamsError(`${path}.${key}: required`)
          continue
        }
        out[key] = f.parse(value, `${path}.${key}`)
      }
      return out as { [K in keyof F]: F[K] extends Param<infer T> ? T : never }
    }),
  /** Any JSON value, unchecked. */
  any: (name: string) => param<unknown>(name, (v) => v),
  /** Makes a parameter optional: missing or null parses to undefined. */
  optional: <T>(inner: Param<T>): Param<T | undefined> => ({ ...inner, optional: true }),
}

/** Checks a call's params (positional array, by-name object, or absent) against a method's list. */
export function parseParams(params: readonly Param<unknown>[], raw: unknown): unknown[] {
  let values: unknown[]
  if (raw === undefined || raw === null) values = []
  else if (Array.isArray(raw)) values = raw
  else if (typeof raw === 'object') values = params.map((prm) => (raw as Record<string, unknown>)[prm.name])
  else throw new InvalidParamsError('params must be an array or an object')
  if (values.length > params.length) throw new InvalidParamsError(`expected at most ${params.length} params, got ${values.length}`)
  return params.map((prm, i) => {
    const v = values[i]
    if (v === undefined || (v === null && prm.optional)) {
      if (prm.optional) return undefined
      throw new InvalidParamsError(`${prm.name}: required`)
    }
    return prm.parse(v, prm.name)
  })
}
