/** Types of the trustless gateway (`/ipfs/…`) and piece (`/piece/…`) routes: the sources they serve from. */
import type { MiddlewareHandler } from 'hono'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, BlockGetter } from '../../store/dag/types.ts'

/**
 * Blocks for `/ipfs/…` from whichever shard holds them: `get` answers undefined for a block no shard has.
 * `has` (optional) makes `Cache-Control: only-if-cached` checks free of reads.
 */
export interface GatewayBlockSource extends BlockGetter {
  has?(cid: CID, options?: AbortOptions): Promise<boolean>
}

/** What `/piece/{cid}` needs to know before streaming. */
export interface PieceStat {
  /** Bytes served: the unpadded piece (payload plus zero padding), as booster-http serves it. */
  size: number
}

/** Piece bytes for `/piece/…`, keyed by the v1 piece CID (`baga6ea4seaq…`); v2 requests are converted first. */
export interface PieceSource {
  /** The piece's size, or undefined when no unsealed copy is held. */
  stat(pieceCid: CID, options?: AbortOptions): Promise<PieceStat | undefined>
  /** `length` bytes from `offset`, streamed. */
  read(pieceCid: CID, offset: number, length: number, options?: AbortOptions): AsyncIterable<Uint8Array>
  /**
   * The same bytes as a file-backed Blob (node:fs `openAsBlob(path).slice(offset, offset + length)`), when
   * they lie in one file: the response then keeps its Content-Length and goes out by sendfile. Undefined
   * falls back to `read`.
   */
  blob?(pieceCid: CID, offset: number, length: number, options?: AbortOptions): Promise<Blob | undefined>
}

/** Everything the gateway routes are given. */
export interface GatewayOptions {
  /** Serves `/ipfs/…` when set. */
  blocks?: GatewayBlockSource
  /** Serves `/piece/…` when set. */
  pieces?: PieceSource
  /** Runs before every gateway route (after CORS preflight), e.g. a bearer-token check; default: public. */
  authorize?: MiddlewareHandler
  /** Hash-check every block before sending it (default true; turn off when the source already verifies). */
  verifyBlocks?: boolean
  /** Most blocks one CAR response may carry (default: no limit). */
  maxBlocks?: number
  /** Told about errors that end a response after its headers were sent (the client sees a cut stream). */
  onStreamError?: (path: string, err: unknown) => void
}
