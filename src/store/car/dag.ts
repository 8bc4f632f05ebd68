/**
 * DAG traversal over a block getter: the links of a block by codec (dag-pb, dag-cbor, dag-json, raw), and
 * a depth-first, pre-order walk that yields each block once — the order `petal car get-dag` writes.
 */
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { CarBadBlockError, CarUnsupportedCodecError, throwIfAborted } from './errors.ts'
import type { Block } from './types.ts'

const RAW = 0x55
const DAG_PB = 0x70
const DAG_CBOR = 0x71
const DAG_JSON = 0x0129
const LIBP2P_KEY = 0x72

function collect(value: unknown, out: CID[], depth = 0): void {
  if (depth > 512) throw new CarBadBlockError('IPLD data nested deeper than 512 levels')
  const cid = CID.asCID(value)
  if (cid !== null) {
    out.push(cid)
    return
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return
  if (Array.isArray(value)) for (const v of value) collect(v, out, depth + 1)
  else for (const k of Object.keys(value)) collect((value as Record<string, unknown>)[k], out, depth + 1)
}

/** The CIDs `bytes` (the block of `cid`) links to, in document order. */
export function blockLinks(cid: CID, bytes: Uint8Array): CID[] {
  const out: CID[] = []
  try {
    switch (cid.code) {
      case RAW:
      case LIBP2P_KEY:
        return out
      case DAG_PB:
        for (const link of dagPb.decode(bytes).Links) out.push(link.Hash)
        return out
      case DAG_CBOR:
        collect(dagCbor.decode(bytes), out)
        return out
      case DAG_JSON:
        collect(dagJson.decode(bytes), out)
        return out
    }
  } catch (err) {
    throw new CarBadBlockError(`block ${cid.toString()} does not decode as its codec`, { cause: err })
  }
  throw new CarUnsupportedCodecError(cid.code)
}

/** Something blocks can be fetched from. */
export interface BlockGetter {
  get(cid: CID, options?: { signal?: AbortSignal }): Promise<Uint8Array>
}

/** Depth-first, pre-order walk from `root`; each block (by whole CID) is yielded once. */
export async function* walkDag(store: BlockGetter, root: CID, options: { signal?: AbortSignal } = {}): AsyncGenerator<Block> {
  const seen = new Set<string>()
  const stack: CID[] = [root]
  while (stack.length > 0) {
    throwIfAborted(options.signal)
    const cid = stack.pop()!
    const key = cid.toString()
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = await store.get(cid, options)
    yield { cid, bytes }
    const links = blockLinks(cid, bytes)
    for (let i = links.length - 1; i >= 0; i--) if (!seen.has(links[i].toString())) stack.push(links[i])
  }
}
