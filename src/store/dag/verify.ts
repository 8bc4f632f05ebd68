/**
 * The client side of a trustless retrieval: checks a response's blocks against the walk the request implies.
 * Every block must hash to its CID and be exactly the next block the walk expects; a wrong, out-of-order,
 * missing or extra block stops the stream with a typed error (go-trustless-utils' ErrUnexpectedBlock,
 * ErrMissingBlock, ErrExtraneousBlock). Only verified blocks are yielded, so the caller can store each as
 * it comes and keep nothing corrupt.
 */
import type { CID } from 'multiformats/cid'
import { digestMatches } from '../car/hashing.ts'
import { IDENTITY } from './codecs.ts'
import {
  DagBlockTooLargeError,
  DagExtraneousBlockError,
  DagHashMismatchError,
  DagMissingBlockError,
  DagUnexpectedBlockError,
  DagUnsupportedHashError,
} from './errors.ts'
import type { Block, DagRequest, WalkOptions } from './types.ts'
import { walkDag } from './walk.ts'

/** Largest block accepted from a response by default: the trustless gateway spec's 2 MiB. */
export const DEFAULT_MAX_BLOCK_SIZE = 2 << 20

/** Options of verifyDag. */
export interface VerifyOptions extends WalkOptions {
  /** Largest block accepted (default 2 MiB). */
  maxBlockSize?: number
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Throws DagHashMismatchError unless `bytes` hash to `cid` (DagUnsupportedHashError for unknown hashes). */
export function verifyBlock(cid: CID, bytes: Uint8Array): void {
  const mh = cid.multihash
  let ok: boolean
  try {
    ok = mh.code === IDENTITY ? equalBytes(mh.digest, bytes) : digestMatches(mh.code, mh.digest, 0, mh.digest.length, bytes)
  } catch (err) {
    throw new DagUnsupportedHashError(cid, { cause: err })
  }
  if (!ok) throw new DagHashMismatchError(cid)
}

/**
 * Checks `incoming` (the blocks of a CAR response, in order) against `request` with dups and order=dfs as the
 * response declared them, yielding each block once it is verified. Ends cleanly only when the walk is
 * complete and the response has nothing more.
 */
export async function* verifyDag(request: DagRequest, incoming: AsyncIterable<Block>, options: VerifyOptions = {}): AsyncGenerator<Block> {
  const max = options.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE
  const it = incoming[Symbol.asyncIterator]()
  const load = async (expected: CID): Promise<Uint8Array> => {
    const next = await it.next()
    if (next.done === true) throw new DagMissingBlockError(expected)
    const { cid, bytes } = next.value
    if (!equalBytes(cid.bytes, expected.bytes)) throw new DagUnexpectedBlockError(expected, cid)
    if (bytes.length > max) throw new DagBlockTooLargeError(cid, bytes.length, max)
    verifyBlock(cid, bytes)
    return bytes
  }
  let complete = false
  try {
    yield* walkDag(request, { load }, options)
    const extra = await it.next()
    if (extra.done !== true) throw new DagExtraneousBlockError(extra.value.cid)
    complete = true
  } finally {
    if (!complete) await it.return?.()
  }
}
