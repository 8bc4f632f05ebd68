/**
 * UnixFS HAMT-sharded directories: finding an entry by name (murmur3-x64-64 of the name, `log2(fanout)` bits
 * per level, most significant first) and telling sub-shard links from entry links by their names: the first
 * `len(hex(fanout - 1))` characters are the bucket index in upper-case hex; a longer name is an entry.
 * Follows go-unixfsnode `hamt/shardeddir.go` and `hamt/util.go`.
 */
import type { CID } from 'multiformats/cid'
import { decodePbNode, type PbLink, type PbNode } from './codecs.ts'
import { DagHamtInvalidError, DagPathNotFoundError } from './errors.ts'
import { hamtHash, hashBits } from './murmur3.ts'
import type { Block } from './types.ts'
import { HAMT_HASH_MURMUR3, UnixfsType } from './unixfs-data.ts'

/** Widest HAMT node go-unixfsnode accepts. */
const MAX_FANOUT = 1024

/** The shape of one HAMT node. */
export interface HamtShape {
  /** Bits of the hash consumed at this node. */
  bits: number
  /** Length of the bucket-index prefix of every link name. */
  padLength: number
}

/** Checks a HAMT node's hash type and fanout and returns its shape. */
export function hamtShape(cid: CID, node: PbNode): HamtShape {
  const fs = node.unixfs
  if (fs?.type !== UnixfsType.HAMTShard) throw new DagHamtInvalidError(cid, 'not a HAMTShard node')
  if (fs.hashType !== HAMT_HASH_MURMUR3) throw new DagHamtInvalidError(cid, `hash type ${fs.hashType ?? 'absent'} is not murmur3-x64-64 (0x22)`)
  const fanout = fs.fanout ?? 0
  if (fanout < 2 || fanout > MAX_FANOUT || (fanout & (fanout - 1)) !== 0) throw new DagHamtInvalidError(cid, `fanout ${fanout} is not a power of two in 2..${MAX_FANOUT}`)
  return { bits: Math.log2(fanout), padLength: (fanout - 1).toString(16).length }
}

/** Whether a link of a HAMT node points at a sub-shard (its name is only the bucket index). */
export function isShardLink(cid: CID, link: PbLink, shape: HamtShape): boolean {
  const name = link.name ?? ''
  if (name.length < shape.padLength) throw new DagHamtInvalidError(cid, `link name ${JSON.stringify(name)} is shorter than the ${shape.padLength}-character bucket index`)
  return name.length === shape.padLength
}

/** The sub-shard links of a HAMT node, in link order. */
export function shardLinks(cid: CID, node: PbNode): PbLink[] {
  const shape = hamtShape(cid, node)
  return node.links.filter((l) => isShardLink(cid, l, shape))
}

/**
 * Finds entry `name` in the HAMT rooted at `root` (already decoded). Loads sub-shards through `load` and
 * returns them in the order they were read, with the entry's CID exactly as linked.
 */
export async function findHamtEntry(
  root: Block,
  node: PbNode,
  name: string,
  load: (cid: CID) => Promise<Uint8Array>,
): Promise<{ target: CID; shards: Block[] }> {
  const hash = hamtHash(new TextEncoder().encode(name))
  const shards: Block[] = []
  let at = root.cid
  let offset = 0
  for (;;) {
    const shape = hamtShape(at, node)
    if (offset + shape.bits > hash.length * 8) throw new DagHamtInvalidError(at, 'deeper than the 64-bit hash allows')
    const prefix = hashBits(hash, offset, shape.bits).toString(16).toUpperCase().padStart(shape.padLength, '0')
    offset += shape.bits
    const link = node.links.find((l) => (l.name ?? '').slice(0, shape.padLength) === prefix)
    if (link === undefined) throw new DagPathNotFoundError(name, root.cid)
    if (!isShardLink(at, link, shape)) {
      if (link.name!.slice(shape.padLength) !== name) throw new DagPathNotFoundError(name, root.cid)
      return { target: link.cid, shards }
    }
    const bytes = await load(link.cid)
    shards.push({ cid: link.cid, bytes })
    at = link.cid
    node = decodePbNode(at, bytes)
  }
}
