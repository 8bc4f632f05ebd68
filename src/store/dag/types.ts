/**
 * Types of DAG traversal for trustless retrieval: the request a gateway serves (root, path, dag-scope,
 * entity-bytes, dups) and the minimal block source it reads from.
 * https://specs.ipfs.tech/http-gateways/trustless-gateway/
 */
import type { CID } from 'multiformats/cid'

/** A block: a CID exactly as linked and the bytes it names. */
export interface Block {
  cid: CID
  bytes: Uint8Array
}

/** `{ signal }` on every async call. */
export interface AbortOptions {
  signal?: AbortSignal
}

/** Where blocks come from: the bytes of a CID, or `undefined` when the source does not hold it. */
export interface BlockGetter {
  get(cid: CID, options?: AbortOptions): Promise<Uint8Array | undefined>
}

/** What follows the path blocks: the terminal block only, the terminal entity, or the whole DAG under it. */
export type DagScope = 'block' | 'entity' | 'all'

/**
 * `entity-bytes=from:to` as requested: inclusive offsets, negative values count from the end, `'*'` is the
 * end of the entity. https://specs.ipfs.tech/http-gateways/trustless-gateway/#entity-bytes-request-query-parameter
 */
export interface EntityBytes {
  from: number
  to: number | '*'
}

/** A resolved, non-empty byte range of an entity: inclusive offsets within `[0, size)`. */
export interface ByteSpan {
  from: number
  to: number
}

/** One trustless-gateway request: what `GET /ipfs/{root}/{path}?dag-scope=…&entity-bytes=…` with `dups` names. */
export interface DagRequest {
  root: CID
  /** Path segments after the root, already percent-decoded. */
  path?: readonly string[]
  /** Default `all`. */
  scope?: DagScope
  /** Only used with scope `entity` (an absent scope counts as `entity` when this is set). */
  entityBytes?: EntityBytes
  /** Send a block every time the walk meets it (`dups=y`); default false: each block once. */
  dups?: boolean
}

/** Options of a walk. */
export interface WalkOptions extends AbortOptions {
  /** Stop with DagTooManyBlocksError after this many emitted blocks (default: no limit). */
  maxBlocks?: number
}

/**
 * A part of a DAG that a walk could not read locally, expressed as the request that fetches exactly it:
 * `root` with `scope` (and `entityBytes`, non-negative and relative to `root`'s own bytes).
 */
export interface MissingPart {
  root: CID
  scope: DagScope
  entityBytes?: ByteSpan
  /** Set when `root` is a child of a UnixFS file node: which parent, and the child's bytes within it. */
  parent?: { cid: CID; visit: number; span: ByteSpan }
}
