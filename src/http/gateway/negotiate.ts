/**
 * Response format negotiation for `/ipfs/…`: the `format` query parameter beats `Accept` (IPIP-0523);
 * `car-version` / `car-order` / `car-dups` beat the CAR parameters of `Accept`; Accept entries are weighed
 * by `q` (RFC 9110 §12.5.1) and unsupported ones dropped. Block codecs other than raw (dag-json, dag-cbor,
 * json, cbor) are served as the block's own bytes when its codec matches, else 406 (IPIP-0524).
 * https://specs.ipfs.tech/http-gateways/trustless-gateway/#car-format-signaling-in-request
 */
import { GatewayBadRequestError, GatewayNotAcceptableError } from './errors.ts'

/** The CAR media type. */
export const CAR_MEDIA_TYPE = 'application/vnd.ipld.car'
/** The raw block media type. */
export const RAW_MEDIA_TYPE = 'application/vnd.ipld.raw'

/** Block codecs a response may be asked for by media type or `format`, with their multicodec codes. */
const CODECS: Record<string, { code: number; mime: string }> = {
  'dag-json': { code: 0x0129, mime: 'application/vnd.ipld.dag-json' },
  'dag-cbor': { code: 0x71, mime: 'application/vnd.ipld.dag-cbor' },
  json: { code: 0x0200, mime: 'application/json' },
  cbor: { code: 0x51, mime: 'application/cbor' },
}
const CODEC_BY_MIME = new Map(Object.entries(CODECS).map(([format, c]) => [c.mime, { format, ...c }]))

/** The chosen response format. */
export type ResponseFormat =
  | { kind: 'car'; dups: boolean }
  | { kind: 'raw' }
  | { kind: 'codec'; format: string; code: number; mime: string }

/** The outcome of negotiation. */
export interface Negotiated {
  format: ResponseFormat
  /** Query parameters that would select this response without Accept (Content-Location), if any were missing. */
  missingParams: [string, string][]
}

interface AcceptEntry {
  format: ResponseFormat
  q: number
  /** Whether the entry itself spelled `dups`. */
  dupsGiven: boolean
}

function parseParams(parts: string[]): Map<string, string> | undefined {
  const params = new Map<string, string>()
  for (const part of parts) {
    const eq = part.indexOf('=')
    if (eq < 0) {
      if (part.trim() === '') continue
      return undefined
    }
    let value = part.slice(eq + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    params.set(part.slice(0, eq).trim().toLowerCase(), value)
  }
  return params
}

/** One Accept entry as a format, or undefined when petal cannot serve it. */
function acceptEntry(entry: string): AcceptEntry | undefined {
  const [type, ...rest] = entry.split(';')
  const mime = type.trim().toLowerCase()
  const params = parseParams(rest)
  if (params === undefined) return undefined
  let q = 1
  if (params.has('q')) {
    q = Number(params.get('q'))
    if (!(q >= 0 && q <= 1)) return undefined
  }
  if (q === 0) return undefined
  if (mime === CAR_MEDIA_TYPE || mime === '*/*' || mime === 'application/*') {
    const version = params.get('version')
    const order = params.get('order')
    const dups = params.get('dups')
    if (mime === CAR_MEDIA_TYPE) {
      if (version !== undefined && version !== '1') return undefined
      if (order !== undefined && order !== 'dfs' && order !== 'unk') return undefined
      if (dups !== undefined && dups !== 'y' && dups !== 'n') return undefined
    }
    const given = mime === CAR_MEDIA_TYPE && dups !== undefined
    return { format: { kind: 'car', dups: given && dups === 'y' }, q, dupsGiven: given }
  }
  if (mime === RAW_MEDIA_TYPE) return { format: { kind: 'raw' }, q, dupsGiven: false }
  const codec = CODEC_BY_MIME.get(mime)
  if (codec) return { format: { kind: 'codec', ...codec }, q, dupsGiven: false }
  return undefined
}

/** The Accept header's servable entries, best first (stable for equal weights). */
export function parseAccept(header: string): AcceptEntry[] {
  const entries = header
    .split(',')
    .map(acceptEntry)
    .filter((e): e is AcceptEntry => e !== undefined)
  return entries.map((e, i) => ({ e, i })).sort((a, b) => b.e.q - a.e.q || a.i - b.i).map((x) => x.e)
}

function oneOf(query: URLSearchParams, name: string, allowed: readonly string[]): string | undefined {
  const value = query.get(name)
  if (value === null) return undefined
  if (!allowed.includes(value)) throw new GatewayBadRequestError(`invalid ${name} ${JSON.stringify(value)}: expected ${allowed.join(' or ')}`)
  return value
}

/**
 * Chooses the response format from the query and the Accept header. Throws 400 for invalid parameters or a
 * request naming no format at all (a HEAD with neither is answered as a raw block, so probes work), 406 when
 * Accept names only formats petal does not serve.
 */
export function negotiate(query: URLSearchParams, accept: string | undefined, method: string): Negotiated {
  const format = query.get('format')
  oneOf(query, 'car-version', ['1'])
  oneOf(query, 'car-order', ['dfs', 'unk'])
  const carDups = oneOf(query, 'car-dups', ['y', 'n'])
  const accepts = accept === undefined || accept.trim() === '' ? undefined : parseAccept(accept)
  let chosen: ResponseFormat
  let dupsGiven = false
  if (format !== null) {
    if (format === 'car') {
      const fromAccept = accepts?.find((a) => a.format.kind === 'car' && a.dupsGiven)
      chosen = { kind: 'car', dups: fromAccept?.format.kind === 'car' && fromAccept.format.dups }
      dupsGiven = fromAccept !== undefined
    } else if (format === 'raw') chosen = { kind: 'raw' }
    else if (CODECS[format] !== undefined) chosen = { kind: 'codec', format, ...CODECS[format] }
    else throw new GatewayBadRequestError(`unsupported format ${JSON.stringify(format)}: this is a trustless gateway (car, raw, or a block codec)`)
  } else if (accepts !== undefined && accepts.length > 0) {
    chosen = accepts[0].format
    dupsGiven = accepts[0].dupsGiven
  } else if (accepts !== undefined) {
    throw new GatewayNotAcceptableError(`none of ${JSON.stringify(accept)} can be served; accept ${CAR_MEDIA_TYPE} or ${RAW_MEDIA_TYPE}`)
  } else if (method === 'HEAD') {
    chosen = { kind: 'raw' }
  } else {
    throw new GatewayBadRequestError(`name a response format: ?format=car or ?format=raw, or Accept: ${CAR_MEDIA_TYPE} or ${RAW_MEDIA_TYPE}`)
  }
  const missingParams: [string, string][] = []
  const formatName = chosen.kind === 'codec' ? chosen.format : chosen.kind
  if (format === null && accepts !== undefined) missingParams.push(['format', formatName])
  if (chosen.kind === 'car') {
    if (carDups !== undefined) chosen = { kind: 'car', dups: carDups === 'y' }
    else if (dupsGiven) missingParams.push(['car-dups', chosen.dups ? 'y' : 'n'])
    if (missingParams.length > 0) {
      if (query.get('car-version') === null) missingParams.push(['car-version', '1'])
      if (query.get('car-order') === null) missingParams.push(['car-order', 'dfs'])
    }
  }
  return { format: chosen, missingParams }
}

/** The Content-Type of a CAR response: always CARv1 in depth-first order, with the dups actually applied. */
export function carContentType(dups: boolean): string {
  return `${CAR_MEDIA_TYPE}; version=1; order=dfs; dups=${dups ? 'y' : 'n'}`
}

/**
 * Reads a CAR response's Content-Type (for a client checking a provider's answer): version, order and dups
 * when given. Undefined when it is not a CAR.
 */
export function parseCarContentType(header: string | null): { version?: string; order?: string; dups?: boolean } | undefined {
  if (header === null) return undefined
  const [type, ...rest] = header.split(';')
  if (type.trim().toLowerCase() !== CAR_MEDIA_TYPE) return undefined
  const params = parseParams(rest) ?? new Map<string, string>()
  const dups = params.get('dups')
  return { version: params.get('version'), order: params.get('order'), dups: dups === 'y' ? true : dups === 'n' ? false : undefined }
}
