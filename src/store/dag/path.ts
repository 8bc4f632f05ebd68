/**
 * Path resolution for `/ipfs/{root}/{path}`: UnixFS directories by entry name, HAMT-sharded directories by
 * hash, plain dag-pb by link name, dag-cbor / dag-json through map keys and list indexes inside a block until
 * a link, then on in the linked block. Every block read on the way is a path block a response must carry.
 * https://specs.ipfs.tech/http-gateways/path-gateway/#traversing-through-dag-json-and-dag-cbor
 */
import { CID } from 'multiformats/cid'
import { DAG_PB, decodeIpld, decodePbNode, IDENTITY, isIpldCodec } from './codecs.ts'
import { DagBlockNotFoundError, DagPathNotFoundError, DagPathUnsupportedError } from './errors.ts'
import { findHamtEntry } from './hamt.ts'
import type { Block } from './types.ts'
import { UnixfsType } from './unixfs-data.ts'

/** Gives the bytes of a block, or `undefined` when it is not available. */
export type BlockLoader = (cid: CID) => Promise<Uint8Array | undefined>

/** A followed path. */
export interface ResolvedPath {
  /** Every block read to follow the path, in response order: the root first, the terminal last. */
  blocks: Block[]
  /** The root and the CID each link-crossing segment led to (for X-Ipfs-Roots). */
  roots: CID[]
  /** The block the path ends at. */
  terminal: Block
}

/** Reads a block through `load`; identity CIDs answer from their digest. Throws DagBlockNotFoundError. */
export async function readBlock(cid: CID, load: BlockLoader): Promise<Uint8Array> {
  if (cid.multihash.code === IDENTITY) return cid.multihash.digest
  const bytes = await load(cid)
  if (bytes === undefined) throw new DagBlockNotFoundError(cid)
  return bytes
}

function step(at: CID, value: unknown, segment: string): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && CID.asCID(value) === null) {
    if (Array.isArray(value)) {
      if (/^(0|[1-9]\d*)$/.test(segment) && Number(segment) < value.length) return value[Number(segment)]
    } else if (Object.hasOwn(value, segment)) {
      return (value as Record<string, unknown>)[segment]
    }
  }
  throw new DagPathNotFoundError(segment, at)
}

/** Follows `segments` from `root`; throws DagPathNotFoundError, DagPathUnsupportedError or DagBlockNotFoundError. */
export async function resolvePath(root: CID, segments: readonly string[], load: BlockLoader): Promise<ResolvedPath> {
  const read = (cid: CID) => readBlock(cid, load)
  let current: Block = { cid: root, bytes: await read(root) }
  const blocks: Block[] = [current]
  const roots: CID[] = [root]
  let i = 0
  while (i < segments.length) {
    const { cid, bytes } = current
    let next: CID
    if (cid.code === DAG_PB) {
      const node = decodePbNode(cid, bytes)
      const segment = segments[i++]
      if (node.unixfs?.type === UnixfsType.HAMTShard) {
        const found = await findHamtEntry(current, node, segment, read)
        blocks.push(...found.shards)
        next = found.target
      } else {
        const fs = node.unixfs
        const link = fs === undefined || fs.type === UnixfsType.Directory ? node.links.find((l) => l.name === segment) : undefined
        if (link === undefined) throw new DagPathNotFoundError(segment, cid)
        next = link.cid
      }
    } else if (isIpldCodec(cid.code)) {
      let value = decodeIpld(cid, bytes)
      while (i < segments.length && CID.asCID(value) === null) value = step(cid, value, segments[i++])
      const link = CID.asCID(value)
      if (link === null) throw new DagPathUnsupportedError(cid, 'the path ends on a value that is not a link')
      next = link
    } else {
      throw new DagPathNotFoundError(segments[i], cid)
    }
    current = { cid: next, bytes: await read(next) }
    blocks.push(current)
    roots.push(next)
  }
  return { blocks, roots, terminal: current }
}
