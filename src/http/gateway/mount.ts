/**
 * Mounts the gateway routes on the app: CORS on every gateway path (preflight answered before auth), the
 * optional `authorize` hook, `GET`/`HEAD` handlers with stable route patterns for per-route metrics
 * (`/ipfs/:cid`, `/ipfs/:cid/*`, `/piece/:cid`), 501 for `/ipns/…`, and 405 with `Allow` for other methods.
 */
import type { Context, Hono } from 'hono'
import { cors } from 'hono/cors'
import { GatewayBadRequestError, GatewayIpnsUnsupportedError, GatewayMethodNotAllowedError } from './errors.ts'
import { createIpfsHandler } from './ipfs.ts'
import { createPieceHandler } from './piece.ts'
import type { GatewayOptions } from './types.ts'

const ALLOW = 'GET, HEAD, OPTIONS'

/** Response headers a browser script may read. */
const EXPOSED = [
  'Content-Type',
  'Content-Length',
  'Content-Range',
  'Content-Disposition',
  'Content-Location',
  'Etag',
  'Accept-Ranges',
  'X-Ipfs-Path',
  'X-Ipfs-Roots',
  'X-Content-Type-Options',
]

/** Adds `/ipfs/…` (when `blocks` is given) and `/piece/…` (when `pieces` is given) to `app`. */
export function mountGateway(app: Hono<any>, opts: GatewayOptions): void {
  const paths: string[] = []
  if (opts.blocks) paths.push('/ipfs', '/ipfs/*', '/ipns/*')
  if (opts.pieces) paths.push('/piece/*')
  if (paths.length === 0) return
  for (const path of paths) {
    app.use(path, cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: EXPOSED, maxAge: 86400 }))
    if (opts.authorize) app.use(path, async (c, next) => (c.req.method === 'OPTIONS' ? next() : opts.authorize!(c, next)))
  }
  if (opts.blocks) {
    const ipfs = createIpfsHandler({ ...opts, blocks: opts.blocks })
    app.get('/ipfs/:cid', ipfs)
    app.get('/ipfs/:cid/*', ipfs)
    app.get('/ipfs', missingCid)
    app.get('/ipfs/', missingCid)
    app.get('/ipns/*', () => {
      throw new GatewayIpnsUnsupportedError()
    })
  }
  if (opts.pieces) app.get('/piece/:cid', createPieceHandler(opts.pieces, opts.onStreamError))
  // OPTIONS never gets here: the CORS middleware answers every OPTIONS with 204 and the allowed methods.
  for (const path of paths) {
    app.all(path, (c) => {
      c.header('Allow', ALLOW)
      throw new GatewayMethodNotAllowedError(c.req.method)
    })
  }
}

function missingCid(_c: Context): never {
  throw new GatewayBadRequestError('missing CID: request /ipfs/{cid}')
}
