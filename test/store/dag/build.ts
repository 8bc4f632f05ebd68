/** Test helpers that build DAGs with the reference packages: UnixFS files with @ipld/unixfs, and hand-made blocks. */
import * as dagCbor from '@ipld/dag-cbor'
import * as dagJson from '@ipld/dag-json'
import * as dagPb from '@ipld/dag-pb'
import * as UnixFS from '@ipld/unixfs'
import { withMaxChunkSize } from '@ipld/unixfs/file/chunker/fixed'
import { withWidth } from '@ipld/unixfs/file/layout/balanced'
import * as Trickle from '@ipld/unixfs/file/layout/trickle'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import type { Block } from '../../../src/store/dag/index.ts'

/** Builds a UnixFS file DAG; returns its root and every block in the order @ipld/unixfs wrote them. */
export async function buildFile(
  bytes: Uint8Array,
  { chunk, width, rawLeaves = true, trickle = false }: { chunk: number; width: number; rawLeaves?: boolean; trickle?: boolean },
): Promise<{ root: CID; blocks: Block[] }> {
  const encoder = rawLeaves ? raw : UnixFS.UnixFSLeaf
  const settings = UnixFS.configure({
    chunker: withMaxChunkSize(chunk),
    fileLayout: trickle ? Trickle.configure({ maxDirectLeaves: width, maxSiblingSubgroups: 2 }) : withWidth(width),
    fileChunkEncoder: encoder,
    smallFileEncoder: encoder,
  } as never)
  const { readable, writable } = new TransformStream<{ cid: unknown; bytes: Uint8Array }>({}, UnixFS.withCapacity(1 << 30) as never)
  const blocks: Block[] = []
  const drain = readable.pipeTo(new WritableStream({ write: (b) => void blocks.push({ cid: CID.decode((b.cid as CID).bytes), bytes: b.bytes }) }))
  const writer = UnixFS.createWriter({ writable, settings } as never)
  const file = UnixFS.createFileWriter(writer)
  await file.write(bytes)
  const { cid } = await file.close()
  await writer.close()
  await drain
  return { root: CID.decode((cid as CID).bytes), blocks }
}

/** A block of `codec` over `value` (dag-cbor, dag-json or dag-pb) or raw bytes, hashed with sha2-256. */
export async function makeBlock(codec: 'dag-cbor' | 'dag-json' | 'dag-pb' | 'raw', value: unknown): Promise<Block> {
  const [code, bytes] =
    codec === 'dag-cbor'
      ? [0x71, dagCbor.encode(value)]
      : codec === 'dag-json'
        ? [0x0129, dagJson.encode(value)]
        : codec === 'dag-pb'
          ? [0x70, dagPb.encode(dagPb.prepare(value as dagPb.PBNode))]
          : [0x55, value as Uint8Array]
  return { cid: CID.createV1(code, await sha256.digest(bytes)), bytes }
}

/** Protobuf bytes of a UnixFS Data message from (field, wire type, value) triples, for hand-made nodes. */
export function unixfsData(fields: [number, number[] | Uint8Array][]): Uint8Array {
  const out: number[] = []
  const varint = (n: number) => {
    while (n >= 0x80) {
      out.push((n % 128) | 0x80)
      n = Math.floor(n / 128)
    }
    out.push(n)
  }
  for (const [field, value] of fields) {
    if (value instanceof Uint8Array) {
      varint(field * 8 + 2)
      varint(value.length)
      out.push(...value)
    } else {
      for (const v of value) {
        varint(field * 8)
        varint(v)
      }
    }
  }
  return new Uint8Array(out)
}
