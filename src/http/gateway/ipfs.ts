/**
 * `GET`/`HEAD /ipfs/{cid}[/{path}]`: the trustless gateway. The path is resolved before any byte is sent (so
 * a missing root or path segment is a plain 404 and X-Ipfs-Roots lists every segment); then a CAR streams
 * block by block in depth-first order, or the terminal block is sent whole (raw, or its own codec).
 * https://specs.ipfs.tech/http-gateways/trustless-gateway/
 */
import type { Context } from 'hono'
import type { CID } from 'multiformats/cid'
import { effectiveScope, entitySize } from '../../store/dag/entity.ts'
import { formatEntityBytes, isWholeEntity, resolveEntityBytes } from '../../store/dag/params.ts'
import { resolvePath, type ResolvedPath } from '../../store/dag/path.ts'
import type { DagRequest } from '../../store/dag/types.ts'
import { readAhead } from '../../store/dag/read-ahead.ts'
import { verifyBlockAsync } from '../../store/dag/verify.ts'
import { walkResolved } from '../../store/dag/walk.ts'
import { encodeCar } from './car.ts'
import { GatewayBadRequestError, GatewayEntityBytesOutsideError, GatewayNotAcceptableError, GatewayNotCachedError, GatewayRangeNotSatisfiableError } from './errors.ts'
import { contentDisposition, etagMatches, etagSuffix, IMMUTABLE, onlyIfCached } from './headers.ts'
import { carContentType, negotiate, RAW_MEDIA_TYPE, type Negotiated } from './negotiate.ts'
import { contentRange, multipartRanges, parseRange } from './range.ts'
import { parseContentPath, parseDagParams } from './request.ts'
import type { GatewayOptions } from './types.ts'
import { collectBytes, respond, streamBody } from './web-stream.ts'

const IDENTITY = 0x00
/** Blocks of a CAR response read (and hash-checked) ahead of the one being sent. */
const READ_AHEAD = 4

type Headers = Record<string, string>

function contentLocation(url: URL, missing: [string, string][]): Headers {
  if (missing.length === 0) return {}
  const query = new URLSearchParams(url.searchParams)
  for (const [k, v] of missing) query.set(k, v)
  return { 'Content-Location': `${url.pathname}?${query.toString()}` }
}

function checkFilename(filename: string | null, format: Negotiated['format']): void {
  if (filename === null) return
  const ext = format.kind === 'car' ? '.car' : format.kind === 'raw' ? '.bin' : undefined
  if (ext !== undefined && !filename.toLowerCase().endsWith(ext)) throw new GatewayBadRequestError(`filename ${JSON.stringify(filename)} must end with ${ext} for this response`)
}

/** The handler of both `/ipfs/:cid` and `/ipfs/:cid/*`. */
export function createIpfsHandler(opts: GatewayOptions & Required<Pick<GatewayOptions, 'blocks'>>) {
  const source = opts.blocks
  const verify = opts.verifyBlocks !== false

  return async (c: Context): Promise<Response> => {
    const url = new URL(c.req.url)
    const { root, rootText, segments } = parseContentPath(url.pathname)
    const method = c.req.method
    const negotiated = negotiate(url.searchParams, c.req.header('accept'), method)
    const dag = parseDagParams(url.searchParams)
    const filename = url.searchParams.get('filename')
    checkFilename(filename, negotiated.format)
    const signal = c.req.raw.signal
    const load = async (cid: CID) => {
      const bytes = await source.get(cid, { signal })
      if (bytes !== undefined && verify) await verifyBlockAsync(cid, bytes)
      return bytes
    }
    const common: Headers = { 'X-Ipfs-Path': url.pathname, Vary: 'Accept', 'Cache-Control': IMMUTABLE }

    if (onlyIfCached(c.req.header('cache-control'))) {
      const held = root.multihash.code === IDENTITY || (source.has ? await source.has(root, { signal }) : (await source.get(root, { signal })) !== undefined)
      if (!held) throw new GatewayNotCachedError(rootText)
      if (method === 'HEAD') return respond(c, null, 200, common)
    }

    const format = negotiated.format
    if (format.kind === 'car') {
      const request: DagRequest = { root, path: segments, ...dag, dups: format.dups }
      const range = dag.entityBytes === undefined ? '' : formatEntityBytes(dag.entityBytes)
      const etag = `W/"${rootText}.car.${etagSuffix(segments.join('/'), effectiveScope(dag), range, format.dups ? 'y' : 'n')}"`
      if (etagMatches(c.req.header('if-none-match'), etag)) return respond(c, null, 304, { ...common, Etag: etag })
      const resolved = await resolvePath(root, segments, load)
      checkEntityBytes(request, resolved)
      const headers: Headers = {
        ...common,
        'Content-Type': carContentType(format.dups),
        'Content-Disposition': contentDisposition('attachment', filename ?? `${rootText}.car`),
        'X-Content-Type-Options': 'nosniff',
        'Accept-Ranges': 'none',
        Etag: etag,
        'X-Ipfs-Roots': resolved.roots.map(String).join(','),
        ...contentLocation(url, negotiated.missingParams),
      }
      if (method === 'HEAD') return respond(c, null, 200, headers)
      // The next few blocks are read and hash-checked while the current one goes out.
      const reader = readAhead(load, READ_AHEAD)
      const blocks = walkResolved(resolved, request, { load: reader.load, prefetch: reader.prefetch, ahead: READ_AHEAD }, { signal, maxBlocks: opts.maxBlocks })
      return respond(c, streamBody(encodeCar([root], blocks), (err) => opts.onStreamError?.(url.pathname, err)), 200, headers)
    }

    const resolved = await resolvePath(root, segments, load)
    const { cid, bytes } = resolved.terminal
    if (format.kind === 'codec' && cid.code !== format.code) {
      throw new GatewayNotAcceptableError(`block ${cid.toString()} has codec 0x${cid.code.toString(16)}, not ${format.format}; no codec conversion is done`)
    }
    const cidText = segments.length === 0 ? rootText : cid.toString()
    const suffix = format.kind === 'raw' ? 'raw' : format.format
    const etag = `"${cidText}.${suffix}"`
    if (etagMatches(c.req.header('if-none-match'), etag)) return respond(c, null, 304, { ...common, Etag: etag })
    const mime = format.kind === 'raw' ? RAW_MEDIA_TYPE : format.mime
    const ext = format.kind === 'raw' ? 'bin' : format.format.endsWith('json') ? 'json' : 'cbor'
    const headers: Headers = {
      ...common,
      'Content-Disposition': contentDisposition('attachment', filename ?? `${cidText}.${ext}`),
      'X-Content-Type-Options': 'nosniff',
      'Accept-Ranges': 'bytes',
      Etag: etag,
      'X-Ipfs-Roots': resolved.roots.map(String).join(','),
      ...contentLocation(url, negotiated.missingParams),
    }
    return sendBytes(c, bytes, mime, headers, etag)
  }
}

/** A range outside the terminal entity is refused before streaming, when the entity is a byte array. */
function checkEntityBytes(request: DagRequest, resolved: ResolvedPath): void {
  const range = request.entityBytes
  if (range === undefined || isWholeEntity(range) || effectiveScope(request) !== 'entity') return
  const size = entitySize(resolved.terminal)
  if (size !== undefined && size > 0 && resolveEntityBytes(range, size) === undefined) {
    throw new GatewayEntityBytesOutsideError(formatEntityBytes(range), size)
  }
}

/** Sends a block's bytes whole, or the ranges asked for. */
async function sendBytes(c: Context, bytes: Uint8Array, mime: string, headers: Headers, etag: string): Promise<Response> {
  const head = c.req.method === 'HEAD'
  const ifRange = c.req.header('if-range')
  const range = parseRange(ifRange === undefined || ifRange === etag ? c.req.header('range') : undefined, bytes.length)
  if (range.kind === 'unsatisfiable') {
    c.header('Content-Range', `bytes */${bytes.length}`)
    throw new GatewayRangeNotSatisfiableError(bytes.length)
  }
  if (range.kind === 'none') {
    return respond(c, head ? null : bytes, 200, { ...headers, 'Content-Type': mime, 'Content-Length': String(bytes.length) })
  }
  if (range.ranges.length === 1) {
    const r = range.ranges[0]
    const part = bytes.subarray(r.start, r.end + 1)
    return respond(c, head ? null : part, 206, { ...headers, 'Content-Type': mime, 'Content-Range': contentRange(r, bytes.length), 'Content-Length': String(part.length) })
  }
  const multi = multipartRanges(range.ranges, bytes.length, mime, async function* (r) {
    yield bytes.subarray(r.start, r.end + 1)
  })
  // A block is small: the multipart body is built in memory, so it keeps its Content-Length over a socket.
  return respond(c, head ? null : await collectBytes(multi.body(), multi.length), 206, { ...headers, 'Content-Type': multi.contentType, 'Content-Length': String(multi.length) })
}
