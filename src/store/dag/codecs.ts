/**
 * Reading blocks by codec: dag-pb nodes with their UnixFS data, and the links of dag-cbor / dag-json
 * values in document order. Other codecs (raw, plain json/cbor, unknown ones) are leaves.
 */
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { DagBadBlockError } from './errors.ts'
import { decodeUnixfsData, type UnixfsData } from './unixfs-data.ts'

/** Multicodec codes the walker knows. */
export const RAW = 0x55
export const DAG_PB = 0x70
export const DAG_CBOR = 0x71
export const DAG_JSON = 0x0129
/** Multihash identity: the digest is the block. */
export const IDENTITY = 0x00

/** A dag-pb link. */
export interface PbLink {
  cid: CID
  name?: string
}

/** A decoded dag-pb node: its links in order and, when its Data is UnixFS, the decoded UnixFS message. */
export interface PbNode {
  links: PbLink[]
  unixfs?: UnixfsData
}

/** Decodes a dag-pb block. Data that is not UnixFS leaves `unixfs` unset (a plain dag-pb node). */
export function decodePbNode(cid: CID, bytes: Uint8Array): PbNode {
  let node: dagPb.PBNode
  try {
    node = dagPb.decode(bytes)
  } catch (err) {
    throw new DagBadBlockError(cid, 'does not decode as dag-pb', { cause: err })
  }
  const links: PbLink[] = node.Links.map((l) => ({ cid: CID.asCID(l.Hash) ?? l.Hash, name: l.Name }))
  if (node.Data === undefined) return { links }
  let unixfs: UnixfsData | undefined
  try {
    unixfs = decodeUnixfsData(node.Data)
  } catch (err) {
    // Not UnixFS: IPLD still paths and walks it by its links.
    void err
  }
  return { links, unixfs }
}

/** The decoded value of a dag-cbor or dag-json block. */
export function decodeIpld(cid: CID, bytes: Uint8Array): unknown {
  try {
    return cid.code === DAG_CBOR ? dagCbor.decode(bytes) : dagJson.decode(bytes)
  } catch (err) {
    throw new DagBadBlockError(cid, `does not decode as ${cid.code === DAG_CBOR ? 'dag-cbor' : 'dag-json'}`, { cause: err })
  }
}

/** Whether the codec is dag-cbor or dag-json (the codecs with IPLD links and map pathing). */
export function isIpldCodec(code: number): boolean {
  return code === DAG_CBOR || code === DAG_JSON
}

/**
 * Map keys in the order the codec encodes them: dag-cbor sorts by length then bytes, dag-json by bytes
 * (JavaScript's own key order puts integer-like keys first, which neither codec does).
 */
export function orderedKeys(code: number, map: Record<string, unknown>): string[] {
  const keys = Object.keys(map)
  const enc = new TextEncoder()
  const bytes = new Map(keys.map((k) => [k, enc.encode(k)]))
  return keys.sort((a, b) => {
    const x = bytes.get(a)!
    const y = bytes.get(b)!
    if (code === DAG_CBOR && x.length !== y.length) return x.length - y.length
    const n = Math.min(x.length, y.length)
    for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i]
    return x.length - y.length
  })
}

/** The links of a dag-cbor / dag-json value (decoded from the block of `cid`) in document order. */
export function ipldLinks(cid: CID, value: unknown, out: CID[] = [], depth = 0): CID[] {
  if (depth > 512) throw new DagBadBlockError(cid, 'IPLD data nested deeper than 512 levels')
  const link = CID.asCID(value)
  if (link !== null) {
    out.push(link)
    return out
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return out
  if (Array.isArray(value)) for (const v of value) ipldLinks(cid, v, out, depth + 1)
  else {
    const map = value as Record<string, unknown>
    for (const k of orderedKeys(cid.code, map)) ipldLinks(cid, map[k], out, depth + 1)
  }
  return out
}

/** Every link of a block, in order, whatever its codec (leaves have none). */
export function blockLinks(cid: CID, bytes: Uint8Array): CID[] {
  if (cid.code === DAG_PB) return decodePbNode(cid, bytes).links.map((l) => l.cid)
  if (isIpldCodec(cid.code)) return ipldLinks(cid, decodeIpld(cid, bytes))
  return []
}
