/**
 * The trustless-gateway request parameters as values: `dag-scope` and `entity-bytes` parsing, and resolving
 * an entity-bytes range against an entity's size.
 * https://specs.ipfs.tech/http-gateways/trustless-gateway/#entity-bytes-request-query-parameter
 */
import { DagEntityBytesInvalidError, DagScopeInvalidError } from './errors.ts'
import type { ByteSpan, DagScope, EntityBytes } from './types.ts'

/** Parses `block`, `entity` or `all`; throws DagScopeInvalidError otherwise. */
export function parseDagScope(value: string): DagScope {
  if (value === 'block' || value === 'entity' || value === 'all') return value
  throw new DagScopeInvalidError(value)
}

const INTEGER = /^-?\d{1,16}$/

function integer(text: string, whole: string): number {
  if (!INTEGER.test(text)) throw new DagEntityBytesInvalidError(whole)
  const n = Number(text)
  if (!Number.isSafeInteger(n)) throw new DagEntityBytesInvalidError(whole)
  return n === 0 ? 0 : n
}

/** Parses `from:to` (integers, `to` may be `*`); throws DagEntityBytesInvalidError for anything else. */
export function parseEntityBytes(value: string): EntityBytes {
  const parts = value.split(':')
  if (parts.length !== 2) throw new DagEntityBytesInvalidError(value)
  const from = integer(parts[0], value)
  if (parts[1] === '*') return { from, to: '*' }
  const to = integer(parts[1], value)
  if (from >= 0 && to >= 0 && to < from) throw new DagEntityBytesInvalidError(value)
  return { from, to }
}

/** `from:to` as the query parameter spells it. */
export function formatEntityBytes(range: EntityBytes | ByteSpan): string {
  return `${range.from}:${range.to}`
}

/** Whether the range asks for the whole entity (`0:*`), which is plain `dag-scope=entity`. */
export function isWholeEntity(range: EntityBytes): boolean {
  return range.from === 0 && range.to === '*'
}

/**
 * The inclusive span of an entity of `size` bytes that `range` names: negative offsets count from the end,
 * a `from` before the start is clamped to 0 and a `to` past the end to the last byte. Undefined when the
 * span is empty or falls wholly outside (the response is then the same as `dag-scope=block`).
 */
export function resolveEntityBytes(range: EntityBytes, size: number): ByteSpan | undefined {
  if (size <= 0) return undefined
  const from = range.from < 0 ? Math.max(0, size + range.from) : range.from
  let to = range.to === '*' ? size - 1 : range.to < 0 ? size + range.to : range.to
  if (to > size - 1) to = size - 1
  if (from > to || from >= size || to < 0) return undefined
  return { from, to }
}
