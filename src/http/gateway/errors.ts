/**
 * Errors of the gateway routes. Their codes are in the table of src/http/errors.ts, which decides the
 * HTTP status; handlers only throw.
 */
import { HttpError } from '../errors.ts'

/** The path names no valid CID where one is expected. */
export class GatewayBadCidError extends HttpError {
  override name = 'GatewayBadCidError'
  constructor(text: string, options?: ErrorOptions) {
    super('E_GATEWAY_BAD_CID', `not a valid CID: ${JSON.stringify(text)}`, options)
  }
}

/** A query parameter, header or path is malformed, or the request names no response format. */
export class GatewayBadRequestError extends HttpError {
  override name = 'GatewayBadRequestError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_GATEWAY_BAD_REQUEST', message, options)
  }
}

/** The Accept header or format names nothing this gateway returns for this block (406). */
export class GatewayNotAcceptableError extends HttpError {
  override name = 'GatewayNotAcceptableError'
  constructor(message: string) {
    super('E_GATEWAY_NOT_ACCEPTABLE', message)
  }
}

/** `Cache-Control: only-if-cached` and the root block is not held (412). */
export class GatewayNotCachedError extends HttpError {
  override name = 'GatewayNotCachedError'
  constructor(cid: string) {
    super('E_GATEWAY_NOT_CACHED', `${cid} is not held here (only-if-cached)`)
  }
}

/** The route answers GET and HEAD only (405). */
export class GatewayMethodNotAllowedError extends HttpError {
  override name = 'GatewayMethodNotAllowedError'
  constructor(method: string) {
    super('E_GATEWAY_METHOD_NOT_ALLOWED', `method ${method} not allowed; use GET or HEAD`)
  }
}

/** No range of the Range header overlaps the resource (416). */
export class GatewayRangeNotSatisfiableError extends HttpError {
  override name = 'GatewayRangeNotSatisfiableError'
  constructor(size: number) {
    super('E_GATEWAY_RANGE_NOT_SATISFIABLE', `no requested range overlaps the ${size} bytes`)
  }
}

/** entity-bytes falls wholly outside the entity, which is known before streaming (400). */
export class GatewayEntityBytesOutsideError extends HttpError {
  override name = 'GatewayEntityBytesOutsideError'
  constructor(range: string, size: number) {
    super('E_GATEWAY_ENTITY_BYTES_OUTSIDE', `entity-bytes ${range} is outside the entity's ${size} bytes`)
  }
}

/** `/piece/{cid}` names a CID that is not a v1 or v2 piece CID (400). */
export class GatewayBadPieceCidError extends HttpError {
  override name = 'GatewayBadPieceCidError'
  constructor(text: string, options?: ErrorOptions) {
    super('E_GATEWAY_BAD_PIECE_CID', `not a piece CID: ${JSON.stringify(text)}`, options)
  }
}

/** No unsealed copy of the piece is held (404). */
export class GatewayPieceNotFoundError extends HttpError {
  override name = 'GatewayPieceNotFoundError'
  constructor(cid: string) {
    super('E_GATEWAY_PIECE_NOT_FOUND', `piece ${cid} not found`)
  }
}

/** `/ipns/…` is part of the trustless gateway spec, but petal has no IPNS (501). */
export class GatewayIpnsUnsupportedError extends HttpError {
  override name = 'GatewayIpnsUnsupportedError'
  constructor() {
    super('E_GATEWAY_IPNS_UNSUPPORTED', 'IPNS is not supported; request /ipfs/{cid}')
  }
}
