/**
 * Parsing `/ipfs/{cid}[/{path}]` and the trustless query parameters into a DagRequest, and the reverse: the
 * URL path and query a client sends for a DagRequest (what Lassie sends: `?dag-scope=…&entity-bytes=…`).
 */
import { bases } from 'multiformats/basics'
import { CID } from 'multiformats/cid'
import { parseDagScope, parseEntityBytes, formatEntityBytes, isWholeEntity } from '../../store/dag/params.ts'
import type { DagRequest } from '../../store/dag/types.ts'
import { GatewayBadCidError, GatewayBadRequestError } from './errors.ts'

type Decoder = NonNullable<Parameters<typeof CID.parse>[1]>
interface Composable {
  or(other: Composable): Composable
}
const anyBase = (Object.values(bases).map((b) => b.decoder) as unknown as Composable[]).reduce((a, b) => a.or(b)) as unknown as Decoder

/** Parses a CID in any multibase multiformats knows (CIDv0 as base58btc). */
export function parseCid(text: string): CID {
  try {
    return CID.parse(text, anyBase)
  } catch (err) {
    throw new GatewayBadCidError(text, { cause: err })
  }
}

/** The root CID and the decoded path segments of an `/ipfs/…` URL path (empty segments dropped). */
export function parseContentPath(pathname: string): { root: CID; rootText: string; segments: string[] } {
  const parts = pathname.split('/')
  // parts: '', 'ipfs', cid, ...segments
  const rootText = parts[2] ?? ''
  if (rootText === '') throw new GatewayBadRequestError('missing CID: request /ipfs/{cid}')
  const segments: string[] = []
  for (const raw of parts.slice(3)) {
    if (raw === '') continue
    try {
      segments.push(decodeURIComponent(raw))
    } catch (err) {
      throw new GatewayBadRequestError(`malformed percent-encoding in path segment ${JSON.stringify(raw)}`, { cause: err })
    }
  }
  return { root: parseCid(rootText), rootText, segments }
}

/** The dag-scope and entity-bytes of a query (entity-bytes alone implies dag-scope=entity). */
export function parseDagParams(query: URLSearchParams): Pick<DagRequest, 'scope' | 'entityBytes'> {
  const scopeText = query.get('dag-scope')
  const bytesText = query.get('entity-bytes')
  try {
    const scope = scopeText === null ? undefined : parseDagScope(scopeText)
    const entityBytes = bytesText === null ? undefined : parseEntityBytes(bytesText)
    return { ...(scope && { scope }), ...(entityBytes && { entityBytes }) }
  } catch (err) {
    throw new GatewayBadRequestError((err as Error).message, { cause: err })
  }
}

/**
 * The URL path and query that ask a trustless gateway for `request` as a CAR:
 * `/ipfs/{root}/{escaped path}?format=car&dag-scope=…[&entity-bytes=…]&car-dups=y|n&car-order=dfs`.
 */
export function toGatewayPath(request: DagRequest): string {
  const path = (request.path ?? []).map((s) => `/${encodeURIComponent(s)}`).join('')
  const query = new URLSearchParams({ format: 'car', 'dag-scope': request.scope ?? (request.entityBytes ? 'entity' : 'all') })
  if (request.entityBytes && !isWholeEntity(request.entityBytes)) query.set('entity-bytes', formatEntityBytes(request.entityBytes))
  query.set('car-dups', request.dups ? 'y' : 'n')
  query.set('car-order', 'dfs')
  return `/ipfs/${request.root.toString()}${path}?${query.toString().replace(/%3A/g, ':').replace(/%2A/g, '*')}`
}
