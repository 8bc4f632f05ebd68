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

/** WebCrypto names of the hashes `verifyBlockAsync` hands to `crypto.subtle`, with their digest lengths. */
const SUBTLE: Record<number, [string, number]> = { 0x12: ['SHA-256', 32], 0x13: ['SHA-512', 64] }
/** Blocks at least this large are hashed off the main thread; smaller ones cost less than the hand-off. */
const OFF_THREAD = 64 << 10

/**
 * `verifyBlock` that hashes large sha2 blocks off the main thread (Bun runs `crypto.subtle.digest` on a
 * worker thread), so a server can read and send other blocks meanwhile. Same errors as `verifyBlock`.
 */
export async function verifyBlockAsync(cid: CID, bytes: Uint8Array): Promise<void> {
  const digest = digestOffThread(cid, bytes)
  if (digest === undefined) return verifyBlock(cid, bytes)
  if (!equalBytes(await digest, cid.multihash.digest)) throw new DagHashMismatchError(cid)
}

/**
 * The digest of `bytes` under `cid`'s hash, computed off the main thread; undefined when that is not worth it
 * (a small block) or not possible (a hash other than full-length sha2-256/512): hash on the spot then.
 */
export function digestOffThread(cid: CID, bytes: Uint8Array): Promise<Uint8Array> | undefined {
  const mh = cid.multihash
  const subtle = SUBTLE[mh.code]
  if (subtle === undefined || bytes.length < OFF_THREAD || mh.digest.length !== subtle[1]) return undefined
  return crypto.subtle.digest(subtle[0], bytes as Uint8Array<ArrayBuffer>).then((d) => new Uint8Array(d))
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
