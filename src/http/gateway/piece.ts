/**
 * `GET`/`HEAD /piece/{pieceCid}`: a piece's bytes as booster-http serves them (Go `http.ServeContent`):
 * `application/piece`, strong Etag `"<pieceCid>"`, immutable caching, Range with 206 (one range, or several
 * as `multipart/byteranges`), 416 when no range overlaps, `If-Range`, `If-None-Match`. Accepts v1
 * (`baga6ea4seaq…`) and v2 (`bafkzcib…`, FRC-0069) piece CIDs; the source is asked by the v1 CID.
 */
import type { Context } from 'hono'
import type { CID } from 'multiformats/cid'
import { pieceCidV1Of } from '../../proofs/piece/cid.ts'
import { GatewayBadPieceCidError, GatewayPieceNotFoundError, GatewayRangeNotSatisfiableError } from './errors.ts'
import { etagMatches, IMMUTABLE } from './headers.ts'
import { contentRange, multipartRanges, parseRange } from './range.ts'
import { parseCid } from './request.ts'
import type { PieceSource } from './types.ts'
import { collectBytes, respond, streamBody, type Body } from './web-stream.ts'

/** Multipart range bodies up to this size are assembled in memory (and keep their Content-Length). */
const MULTIPART_IN_MEMORY = 4 << 20

/** The Content-Type of piece bytes. */
export const PIECE_MEDIA_TYPE = 'application/piece'

/** The requested CID and the v1 piece CID a source is keyed by; 400 for anything that is not a piece CID. */
export function parsePieceCid(text: string): { cid: CID; v1: CID } {
  let cid: CID
  try {
    cid = parseCid(text)
  } catch (err) {
    throw new GatewayBadPieceCidError(text, { cause: err })
  }
  let v1: CID | undefined
  try {
    v1 = pieceCidV1Of(cid)
  } catch (err) {
    throw new GatewayBadPieceCidError(text, { cause: err })
  }
  if (v1 === undefined) throw new GatewayBadPieceCidError(text)
  return { cid, v1 }
}

/** The handler of `/piece/:cid`. */
export function createPieceHandler(pieces: PieceSource, onStreamError?: (path: string, err: unknown) => void) {
  return async (c: Context): Promise<Response> => {
    const text = c.req.param('cid') ?? ''
    const { cid, v1 } = parsePieceCid(text)
    const signal = c.req.raw.signal
    const stat = await pieces.stat(v1, { signal })
    if (stat === undefined) throw new GatewayPieceNotFoundError(cid.toString())
    const size = stat.size
    const etag = `"${cid.toString()}"`
    const headers: Record<string, string> = {
      'Accept-Ranges': 'bytes',
      // Named explicitly: Bun would otherwise name a file-backed body after the file on disk.
      'Content-Disposition': `attachment; filename="${cid.toString()}.piece"`,
      'Cache-Control': IMMUTABLE,
      Etag: etag,
      'X-Content-Type-Options': 'nosniff',
    }
    if (etagMatches(c.req.header('if-none-match'), etag)) return respond(c, null, 304, headers)
    const head = c.req.method === 'HEAD'
    // A file-backed Blob keeps the Content-Length over Bun's socket and goes out by sendfile; a stream
    // from `read` is the fallback (see web-stream.ts).
    const body = async (offset: number, length: number): Promise<Body> => {
      if (head) return null
      const blob = await pieces.blob?.(v1, offset, length, { signal })
      if (blob !== undefined) return blob
      return streamBody(pieces.read(v1, offset, length, { signal }), (err) => onStreamError?.(c.req.path, err))
    }
    const ifRange = c.req.header('if-range')
    const range = parseRange(ifRange === undefined || ifRange === etag ? c.req.header('range') : undefined, size)
    if (range.kind === 'unsatisfiable') {
      c.header('Content-Range', `bytes */${size}`)
      throw new GatewayRangeNotSatisfiableError(size)
    }
    if (range.kind === 'none') return respond(c, await body(0, size), 200, { ...headers, 'Content-Type': PIECE_MEDIA_TYPE, 'Content-Length': String(size) })
    if (range.ranges.length === 1) {
      const r = range.ranges[0]
      const length = r.end - r.start + 1
      return respond(c, await body(r.start, length), 206, { ...headers, 'Content-Type': PIECE_MEDIA_TYPE, 'Content-Range': contentRange(r, size), 'Content-Length': String(length) })
    }
    const multi = multipartRanges(range.ranges, size, PIECE_MEDIA_TYPE, (r) => pieces.read(v1, r.start, r.end - r.start + 1, { signal }))
    // Small multipart bodies are built in memory so they keep their length; large ones stream (chunked).
    const parts = head ? null : multi.length <= MULTIPART_IN_MEMORY ? await collectBytes(multi.body(), multi.length) : streamBody(multi.body(), (err) => onStreamError?.(c.req.path, err))
    return respond(c, parts, 206, { ...headers, 'Content-Type': multi.contentType, 'Content-Length': String(multi.length) })
  }
}
