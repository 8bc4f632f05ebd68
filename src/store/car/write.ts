/**
 * CAR writers: sections, a streaming CARv1 encoder (pull-based, so the consumer sets the pace), and a file
 * writer that produces a CARv1 or an indexed CARv2 in one pass.
 */
import { closeSync, ftruncateSync, writeSync } from 'node:fs'
import type { CID } from 'multiformats/cid'
import { CarIndex } from './car-index.ts'
import { IDENTITY, MULTIHASH_INDEX_SORTED, V2_PREFIX_SIZE } from './constants.ts'
import { throwIfAborted } from './errors.ts'
import { encodeV1Header, encodeV2Prefix } from './header.ts'
import { encodeIndex } from './index-codec.ts'
import type { Block, IndexCodec } from './types.ts'
import { encodeVarintInto, varintSize } from './varint.ts'
import { createReplacing } from '../fs.ts'

/** The section header of a block: varint(CID length + block length) ‖ CID. */
export function encodeSectionHeader(cid: CID, blockLength: number): Uint8Array {
  const cidBytes = cid.bytes
  const len = cidBytes.length + blockLength
  const out = new Uint8Array(varintSize(len) + cidBytes.length)
  out.set(cidBytes, encodeVarintInto(len, out, 0))
  return out
}

/** Length of the whole section of `block`. */
export function sectionLength(block: Block): number {
  const len = block.cid.bytes.length + block.bytes.length
  return varintSize(len) + len
}

/** A CARv1 as a byte stream: the header, then each block's section header and bytes. */
export async function* encodeCar(roots: readonly CID[], blocks: AsyncIterable<Block> | Iterable<Block>, options: { signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array> {
  yield encodeV1Header(roots)
  for await (const block of blocks) {
    throwIfAborted(options.signal)
    yield encodeSectionHeader(block.cid, block.bytes.length)
    yield block.bytes
  }
}

/** Options of `writeCarFile`. */
export interface WriteCarOptions {
  /** 1 for a bare CARv1, 2 (default) for a CARv2 with an index. */
  version?: 1 | 2
  indexCodec?: IndexCodec
  /** Index identity CIDs and mark the CARv2 fully indexed (default false). */
  includeIdentity?: boolean
  signal?: AbortSignal
}

/**
 * Writes `blocks` to `path` as a CAR with `roots`, block bytes as given (no dedupe). A CARv2 gets its
 * index and its header last. Returns the number of sections written.
 */
export async function writeCarFile(
  path: string,
  roots: readonly CID[],
  blocks: AsyncIterable<Block> | Iterable<Block>,
  options: WriteCarOptions = {},
): Promise<number> {
  const v2 = (options.version ?? 2) === 2
  const includeIdentity = options.includeIdentity ?? false
  const fd = createReplacing(path, 'w')
  try {
    const base = v2 ? V2_PREFIX_SIZE : 0
    let pos = 0
    const put = (bytes: Uint8Array) => {
      let done = 0
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, pos + done)
      pos += bytes.length
    }
    if (v2) put(new Uint8Array(V2_PREFIX_SIZE))
    const header = encodeV1Header(roots)
    put(header)
    const index = new CarIndex('multihash')
    let count = 0
    for await (const block of blocks) {
      throwIfAborted(options.signal)
      const head = encodeSectionHeader(block.cid, block.bytes.length)
      const offset = pos - base
      put(head)
      put(block.bytes)
      const mh = block.cid.multihash
      if (v2 && (includeIdentity || mh.code !== IDENTITY)) index.add(mh.bytes, 0, mh.bytes.length, offset, block.bytes.length)
      count++
    }
    if (v2) {
      const dataSize = pos - base
      const indexOffset = pos
      put(encodeIndex(index, options.indexCodec ?? MULTIHASH_INDEX_SORTED))
      ftruncateSync(fd, pos)
      writeSync(fd, encodeV2Prefix({ fullyIndexed: includeIdentity, dataOffset: base, dataSize, indexOffset }), 0, V2_PREFIX_SIZE, 0)
    }
    return count
  } finally {
    closeSync(fd)
  }
}
