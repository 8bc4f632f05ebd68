/** Errors of the JSON-RPC protocol layer. */
import { HttpError } from '../errors.ts'

/** The body was not JSON (-32700). */
export class ParseError extends HttpError {
  override name = 'ParseError'
  constructor(options?: ErrorOptions) {
    super('E_RPC_PARSE', 'parse error: body is not valid JSON', options)
  }
}

/** The JSON was not a JSON-RPC 2.0 request (-32600). */
export class InvalidRequestError extends HttpError {
  override name = 'InvalidRequestError'
  constructor(reason: string) {
    super('E_RPC_INVALID_REQUEST', `invalid request: ${reason}`)
  }
}

/** No method by that name (-32601). */
export class MethodNotFoundError extends HttpError {
  override name = 'MethodNotFoundError'
  constructor(method: string) {
    super('E_RPC_METHOD_NOT_FOUND', `method '${method}' not found`)
  }
}

/** The params did not match the method's declaration (-32602). */
export class InvalidParamsError extends HttpError {
  override name = 'InvalidParamsError'
  constructor(reason: string, options?: ErrorOptions) {
    super('E_RPC_INVALID_PARAMS', `invalid params: ${reason}`, options)
  }
}

/** A streaming method was called over plain HTTP, which cannot carry a channel. */
export class NeedsWebSocketError extends HttpError {
  override name = 'NeedsWebSocketError'
  constructor(method: string) {
    super('E_RPC_NEEDS_WEBSOCKET', `method '${method}' streams its result: call it over the websocket (GET /rpc/v0)`)
  }
}

/** A call or channel was cancelled by the client (`xrpc.cancel`) or its socket closed. */
export class CancelledError extends HttpError {
  override name = 'CancelledError'
  constructor() {
    super('E_CANCELLED', 'cancelled')
  }
}
