/**
 * The one table from petal's stable error codes to HTTP statuses and JSON-RPC error codes. Nothing else in
 * src/http looks inside errors: handlers throw typed errors, and this table decides how they travel.
 * JSON-RPC reserved codes: https://www.jsonrpc.org/specification#error_object
 */

/** JSON-RPC 2.0 reserved error codes. */
export const RPC_PARSE_ERROR = -32700
export const RPC_INVALID_REQUEST = -32600
export const RPC_METHOD_NOT_FOUND = -32601
export const RPC_INVALID_PARAMS = -32602
export const RPC_INTERNAL_ERROR = -32603
/** go-jsonrpc answers application errors with code 1; petal keeps it as the default. */
export const RPC_APPLICATION_ERROR = 1

/** Where one error code goes on each transport. */
export interface ErrorRoute {
  /** HTTP status for plain HTTP routes (gateway, piece, uploads). */
  http: number
  /** JSON-RPC error code. */
  rpc: number
}

/** The table. Application codes are small positive integers; keep them stable once published. */
export const ERROR_ROUTES: Readonly<Record<string, ErrorRoute>> = {
  // JSON-RPC protocol
  E_RPC_PARSE: { http: 400, rpc: RPC_PARSE_ERROR },
  E_RPC_INVALID_REQUEST: { http: 400, rpc: RPC_INVALID_REQUEST },
  E_RPC_METHOD_NOT_FOUND: { http: 404, rpc: RPC_METHOD_NOT_FOUND },
  E_RPC_INVALID_PARAMS: { http: 400, rpc: RPC_INVALID_PARAMS },
  E_RPC_NEEDS_WEBSOCKET: { http: 400, rpc: RPC_INVALID_REQUEST },
  E_INTERNAL: { http: 500, rpc: RPC_INTERNAL_ERROR },
  // auth and limits
  E_AUTH_REQUIRED: { http: 401, rpc: 2 },
  E_AUTH_INVALID_TOKEN: { http: 401, rpc: 2 },
  E_PERMISSION_DENIED: { http: 403, rpc: 3 },
  E_REQUEST_TIMEOUT: { http: 504, rpc: 4 },
  E_BODY_TOO_LARGE: { http: 413, rpc: 5 },
  E_SHUTTING_DOWN: { http: 503, rpc: 6 },
  E_CANCELLED: { http: 499, rpc: 7 },
  // node: repo, config, logging
  E_REPO_NOT_FOUND: { http: 404, rpc: 10 },
  E_REPO_LOCKED: { http: 409, rpc: 11 },
  E_CONFIG_INVALID: { http: 400, rpc: 12 },
  E_LOG_UNKNOWN_SUBSYSTEM: { http: 404, rpc: 13 },
  E_LOG_INVALID_LEVEL: { http: 400, rpc: 14 },
  E_INVALID_ARGUMENT: { http: 400, rpc: 15 },
  E_NOT_FOUND: { http: 404, rpc: 16 },
  E_NODE_UNREACHABLE: { http: 503, rpc: 17 },
  // dagstore
  E_SHARD_NOT_FOUND: { http: 404, rpc: 30 },
  E_SHARD_EXISTS: { http: 409, rpc: 31 },
  E_SHARD_STATE: { http: 409, rpc: 32 },
  E_SHARD_BUSY: { http: 409, rpc: 33 },
  E_SHARD_INDEX: { http: 500, rpc: 34 },
  E_SHARD_ERRORED: { http: 503, rpc: 35 },
  E_SHARD_BLOCK_CORRUPT: { http: 500, rpc: 36 },
  E_MOUNT_UNKNOWN: { http: 400, rpc: 37 },
  E_MOUNT_UNAVAILABLE: { http: 503, rpc: 38 },
  E_SHARD_INDEX_ORDER: { http: 500, rpc: 39 },
  E_SHARD_BLOCK_TOO_LARGE: { http: 500, rpc: 40 },
  E_SHARD_PIECE_MISMATCH: { http: 409, rpc: 41 },
  // DAG traversal (src/store/dag): serving and verifying trustless responses
  E_DAG_BLOCK_NOT_FOUND: { http: 404, rpc: 60 },
  E_DAG_PATH_NOT_FOUND: { http: 404, rpc: 61 },
  E_DAG_PATH_UNSUPPORTED: { http: 501, rpc: 62 },
  E_DAG_BAD_BLOCK: { http: 500, rpc: 63 },
  E_DAG_HAMT_INVALID: { http: 500, rpc: 64 },
  E_DAG_ENTITY_BYTES_INVALID: { http: 400, rpc: 65 },
  E_DAG_SCOPE_INVALID: { http: 400, rpc: 66 },
  E_DAG_HASH_MISMATCH: { http: 500, rpc: 67 },
  E_DAG_UNSUPPORTED_HASH: { http: 501, rpc: 68 },
  E_DAG_UNEXPECTED_BLOCK: { http: 502, rpc: 69 },
  E_DAG_MISSING_BLOCK: { http: 502, rpc: 70 },
  E_DAG_EXTRANEOUS_BLOCK: { http: 502, rpc: 71 },
  E_DAG_BLOCK_TOO_LARGE: { http: 502, rpc: 72 },
  E_DAG_TOO_MANY_BLOCKS: { http: 502, rpc: 73 },
  // CAR files (src/store/car): the input is bad (400) unless noted
  E_CAR_BAD_PRAGMA: { http: 400, rpc: 100 },
  E_CAR_UNSUPPORTED_VERSION: { http: 400, rpc: 101 },
  E_CAR_WRONG_VERSION: { http: 400, rpc: 102 },
  E_CAR_BAD_HEADER: { http: 400, rpc: 103 },
  E_CAR_HEADER_TOO_LARGE: { http: 413, rpc: 104 },
  E_CAR_BAD_VARINT: { http: 400, rpc: 105 },
  E_CAR_BAD_SECTION: { http: 400, rpc: 106 },
  E_CAR_SECTION_TOO_LARGE: { http: 413, rpc: 107 },
  E_CAR_TRUNCATED: { http: 400, rpc: 108 },
  E_CAR_BAD_CID: { http: 400, rpc: 109 },
  E_CAR_CID_TOO_LARGE: { http: 400, rpc: 110 },
  E_CAR_BAD_BLOCK: { http: 400, rpc: 111 },
  E_CAR_CID_MISMATCH: { http: 422, rpc: 112 },
  E_CAR_UNSUPPORTED_HASH: { http: 422, rpc: 113 },
  E_CAR_UNSUPPORTED_CODEC: { http: 422, rpc: 114 },
  E_CAR_BAD_INDEX: { http: 422, rpc: 115 },
  E_CAR_INDEX_MISMATCH: { http: 422, rpc: 116 },
  E_CAR_UNKNOWN_INDEX_CODEC: { http: 422, rpc: 117 },
  E_CAR_NO_INDEX: { http: 422, rpc: 118 },
  E_CAR_INDEX_FULL: { http: 507, rpc: 119 },
  E_CAR_INDEX_NOT_ITERABLE: { http: 422, rpc: 120 },
  // blockstores (src/store/blockstore)
  E_BLOCKSTORE_NOT_FOUND: { http: 404, rpc: 130 },
  E_BLOCKSTORE_CLOSED: { http: 503, rpc: 131 },
  E_BLOCKSTORE_READ_ONLY: { http: 405, rpc: 132 },
  E_BLOCKSTORE_FINALIZED: { http: 409, rpc: 133 },
  E_BLOCKSTORE_RESUME_CORRUPT: { http: 500, rpc: 134 },
  E_BLOCKSTORE_RESUME_MISMATCH: { http: 409, rpc: 135 },
  E_BLOCKSTORE_FAILED: { http: 500, rpc: 136 },
  E_ABORTED: { http: 499, rpc: 7 },
  // files (src/store/fs.ts): system errors with the path named
  E_FILE_NOT_FOUND: { http: 404, rpc: 170 },
  E_FILE_PERMISSION: { http: 403, rpc: 171 },
  E_FILE_IS_DIRECTORY: { http: 400, rpc: 172 },
  E_FILE_EXISTS: { http: 409, rpc: 173 },
  E_NO_SPACE: { http: 507, rpc: 174 },
  E_TOO_MANY_OPEN_FILES: { http: 503, rpc: 175 },
  E_FILE_IO: { http: 500, rpc: 176 },
  // piece commitments (src/proofs/piece, src/proofs/commp, src/node/commp) and the native library
  E_PAYLOAD_EMPTY: { http: 400, rpc: 140 },
  E_PAYLOAD_TOO_SMALL: { http: 400, rpc: 141 },
  E_PAYLOAD_TOO_LARGE: { http: 413, rpc: 142 },
  E_FILE_UNREADABLE: { http: 404, rpc: 143 },
  E_FILE_CHANGED: { http: 409, rpc: 144 },
  E_PIECE_CID_INVALID: { http: 400, rpc: 145 },
  E_PIECE_SIZE_NOT_POWER_OF_TWO: { http: 400, rpc: 146 },
  E_PIECE_SIZE_TOO_SMALL: { http: 400, rpc: 147 },
  E_PIECE_SIZE_TOO_LARGE: { http: 400, rpc: 148 },
  E_UNPADDED_PIECE_SIZE_INVALID: { http: 400, rpc: 149 },
  E_PIECES_EXCEED_SECTOR: { http: 400, rpc: 150 },
  E_NO_PIECES: { http: 400, rpc: 151 },
  E_TOO_MANY_PIECES: { http: 400, rpc: 152 },
  E_COMMITMENT_INVALID: { http: 400, rpc: 153 },
  E_SIZE_INVALID: { http: 400, rpc: 154 },
  E_FR32_INVALID: { http: 400, rpc: 155 },
  E_FR32_LENGTH: { http: 400, rpc: 156 },
  E_FR32_OVERFLOW: { http: 400, rpc: 157 },
  E_FR32_OUTPUT_TOO_SMALL: { http: 500, rpc: 158 },
  E_THREADS_INVALID: { http: 400, rpc: 159 },
  E_WORKER_FAILED: { http: 500, rpc: 160 },
  E_NATIVE_UNAVAILABLE: { http: 503, rpc: 161 },
  E_NATIVE_MODE_INVALID: { http: 400, rpc: 162 },
  E_NATIVE_CALL_FAILED: { http: 500, rpc: 163 },
  // client imports (src/node/imports, src/store/imports)
  E_IMPORT_NOT_FOUND: { http: 404, rpc: 190 },
  E_IMPORT_BAD_CAR: { http: 422, rpc: 191 },
  E_IMPORT_SOURCE_MISSING: { http: 410, rpc: 192 },
  E_IMPORT_SOURCE_CHANGED: { http: 409, rpc: 193 },
  E_IMPORT_BAD_REFERENCE: { http: 500, rpc: 194 },
  // trustless gateway and piece routes (src/http/gateway)
  E_GATEWAY_BAD_CID: { http: 400, rpc: 80 },
  E_GATEWAY_BAD_REQUEST: { http: 400, rpc: 81 },
  E_GATEWAY_NOT_ACCEPTABLE: { http: 406, rpc: 82 },
  E_GATEWAY_NOT_CACHED: { http: 412, rpc: 83 },
  E_GATEWAY_METHOD_NOT_ALLOWED: { http: 405, rpc: 84 },
  E_GATEWAY_RANGE_NOT_SATISFIABLE: { http: 416, rpc: 85 },
  E_GATEWAY_ENTITY_BYTES_OUTSIDE: { http: 400, rpc: 86 },
  E_GATEWAY_BAD_PIECE_CID: { http: 400, rpc: 87 },
  E_GATEWAY_PIECE_NOT_FOUND: { http: 404, rpc: 88 },
  E_GATEWAY_IPNS_UNSUPPORTED: { http: 501, rpc: 89 },
  // client retrieval (src/node/retrieve): the provider failed (502) or the request/output is wrong
  E_RETRIEVE_PROVIDER_URL: { http: 400, rpc: 180 },
  E_RETRIEVE_TRANSFER: { http: 502, rpc: 181 },
  E_RETRIEVE_PROVIDER_STATUS: { http: 502, rpc: 182 },
  E_RETRIEVE_BAD_RESPONSE: { http: 502, rpc: 183 },
  E_RETRIEVE_BUSY: { http: 409, rpc: 184 },
  E_RETRIEVE_NOT_UNIXFS: { http: 422, rpc: 185 },
  E_RETRIEVE_UNSAFE_NAME: { http: 422, rpc: 186 },
  E_RETRIEVE_OUTPUT_EXISTS: { http: 409, rpc: 187 },
  E_RETRIEVE_NOT_FOUND: { http: 404, rpc: 188 },
  // PoSt, replica updates and unsealing (src/proofs/post, update, unseal) and `petal bench sealing`
  E_POST_SECTOR_UNPROVABLE: { http: 409, rpc: 230 },
  E_POST_SECTOR_COUNT: { http: 400, rpc: 231 },
  E_POST_SECTOR_SIZE_MISMATCH: { http: 400, rpc: 232 },
  E_POST_DUPLICATE_SECTOR: { http: 400, rpc: 233 },
  E_UPDATE_MISMATCH: { http: 409, rpc: 234 },
  E_UPDATE_INPUTS_MISMATCH: { http: 400, rpc: 235 },
  E_UPDATE_PARTITION_COUNT: { http: 400, rpc: 236 },
  E_UNSEAL_MISMATCH: { http: 409, rpc: 237 },
  E_UNSEAL_RANGE_INVALID: { http: 416, rpc: 238 },
  E_UNSEAL_SECTOR_KEY_REQUIRED: { http: 409, rpc: 239 },
  E_BENCH_VERIFY_FAILED: { http: 500, rpc: 240 },
  E_BENCH_SECTOR_SIZE: { http: 400, rpc: 241 },
  // sealing and PoRep (src/proofs/sector, graph, sdr, kernels, merkle, layout, porep); verification failures
  // are results with a reason (E_CHALLENGE_MISMATCH, E_LABEL_MISMATCH, …), a prover's own bad proof is E_PROOF_INVALID
  E_SECTOR_SIZE_INVALID: { http: 400, rpc: 250 },
  E_SECTOR_ID_INVALID: { http: 400, rpc: 251 },
  E_PROOF_TYPE_INVALID: { http: 400, rpc: 252 },
  E_BYTES32_INVALID: { http: 400, rpc: 253 },
  E_NOT_A_FIELD_ELEMENT: { http: 400, rpc: 254 },
  E_GRAPH_SIZE_INVALID: { http: 400, rpc: 255 },
  E_KERNEL_ARGUMENT: { http: 500, rpc: 256 },
  E_UNSEALED_DATA_INVALID: { http: 422, rpc: 257 },
  E_COMMD_MISMATCH: { http: 409, rpc: 258 },
  E_REPLICA_ID_MISMATCH: { http: 409, rpc: 259 },
  E_COMM_R_MISMATCH: { http: 409, rpc: 260 },
  E_PROOF_MALFORMED: { http: 400, rpc: 261 },
  E_PROOF_INVALID: { http: 500, rpc: 262 },
  E_SECTOR_FILE_MISSING: { http: 404, rpc: 263 },
  E_SECTOR_FILE_SHORT: { http: 500, rpc: 264 },
  E_SECTOR_FILE_SIZE: { http: 500, rpc: 265 },
  E_SECTOR_AUX_INVALID: { http: 500, rpc: 266 },
  E_TREE_SHAPE_INVALID: { http: 400, rpc: 267 },
  E_TREE_LEAVES_INVALID: { http: 500, rpc: 268 },
  E_TREE_FILE_INVALID: { http: 500, rpc: 269 },
  E_TREE_INDEX_OUT_OF_RANGE: { http: 400, rpc: 270 },
  // sector records (src/node/sectors)
  E_SECTOR_RECORD_INVALID: { http: 400, rpc: 271 },
}

/** What a thrown value becomes on the wire. */
export interface ErrorDescription {
  /** The stable code (`E_INTERNAL` for errors without one). */
  code: string
  message: string
  http: number
  rpc: number
}

/** Maps any thrown value through the table; unknown coded errors are application errors (500 / 1). */
export function describeError(err: unknown): ErrorDescription {
  const raw = (err as { code?: unknown } | null)?.code
  const code = typeof raw === 'string' && raw.length > 0 ? raw : 'E_INTERNAL'
  const route = ERROR_ROUTES[code] ?? (code === 'E_INTERNAL' ? ERROR_ROUTES.E_INTERNAL : { http: 500, rpc: RPC_APPLICATION_ERROR })
  const message = err instanceof Error ? err.message : 'internal error'
  return { code, message, ...route }
}

/** Base class of errors raised by the HTTP layer itself. */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly code: string

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** The request had no usable credentials. */
export class AuthRequiredError extends HttpError {
  override name = 'AuthRequiredError'
  constructor() {
    super('E_AUTH_REQUIRED', 'missing Authorization: Bearer token')
  }
}

/** The token was malformed, forged or signed with another secret. */
export class InvalidTokenError extends HttpError {
  override name = 'InvalidTokenError'
  constructor(reason: string, options?: ErrorOptions) {
    super('E_AUTH_INVALID_TOKEN', `invalid token: ${reason}`, options)
  }
}

/** The token is valid but lacks the permission the method needs. */
export class PermissionDeniedError extends HttpError {
  override name = 'PermissionDeniedError'
  constructor(method: string, perm: string) {
    super('E_PERMISSION_DENIED', `missing permission to invoke '${method}' (need '${perm}')`)
  }
}

/** The request ran past the configured per-request timeout. */
export class RequestTimeoutError extends HttpError {
  override name = 'RequestTimeoutError'
  constructor(ms: number) {
    super('E_REQUEST_TIMEOUT', `request timed out after ${ms} ms`)
  }
}

/** The node is shutting down and takes no new work. */
export class ShuttingDownError extends HttpError {
  override name = 'ShuttingDownError'
  constructor() {
    super('E_SHUTTING_DOWN', 'node is shutting down')
  }
}

/** The request body exceeded the configured cap. */
export class BodyTooLargeError extends HttpError {
  override name = 'BodyTooLargeError'
  constructor(max: number) {
    super('E_BODY_TOO_LARGE', `request body larger than ${max} bytes`)
  }
}
