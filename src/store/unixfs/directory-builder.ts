/**
 * Wraps file DAGs into UnixFS directories the way ipfs-car does: a flat directory up to 1000 entries, a
 * HAMT-sharded one past that, built with @ipld/unixfs's directory writers and the layout's hash.
 */
import * as UnixFS from '@ipld/unixfs'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { linkMaker } from './hasher.ts'
import type { FileDagSink, FileLink } from './file-builder.ts'
import type { UnixfsLayout } from './layout.ts'

/** ipfs-car shards a directory with more entries than this. */
export const SHARD_THRESHOLD = 1000

/** A link to a directory. */
export interface DirectoryLink {
  cid: CID
  dagByteLength: number
}

/** A directory tree: names to file links or subtrees. */
export type Tree = Map<string, FileLink | Tree>

/** Adds `link` at `path` (segments), creating intermediate directories. Throws on a file/dir clash. */
export function addToTree(tree: Tree, path: readonly string[], link: FileLink): void {
  let dir = tree
  for (const [i, name] of path.entries()) {
    if (i === path.length - 1) {
      dir.set(name, link)
      return
    }
    let next = dir.get(name)
    if (next === undefined) dir.set(name, (next = new Map()))
    if (!(next instanceof Map)) throw new TypeError(`"${name}" cannot be a file and a directory`)
    dir = next
  }
}

/** Builds every directory of `tree` bottom-up; directory blocks go to `sink.branch`. Returns the root link. */
export async function buildDirectories(tree: Tree, layout: UnixfsLayout, sink: FileDagSink = {}): Promise<DirectoryLink> {
  const settings = UnixFS.configure({ hasher: hasherFor(layout), linker: { createLink: CID.createV1 as never } })
  const writable = new WritableStream<UnixFS.Block>({ write: (b) => sink.branch?.(b.cid as unknown as CID, b.bytes) })
  const writer = UnixFS.createWriter({ writable, settings })
  const finalize = async (dir: Tree): Promise<DirectoryLink> => {
    const view = dir.size <= SHARD_THRESHOLD ? UnixFS.createDirectoryWriter(writer) : UnixFS.createShardedDirectoryWriter(writer)
    for (const [name, entry] of dir) view.set(name, (entry instanceof Map ? await finalize(entry) : entry) as never)
    const link = await view.close()
    return { cid: link.cid as unknown as CID, dagByteLength: link.dagByteLength }
  }
  const root = await finalize(tree)
  await writer.close()
  return root
}

/** A multiformats-style hasher giving the layout's CIDs (identity digests for inlined blocks). */
function hasherFor(layout: UnixfsLayout) {
  const make = linkMaker(layout)
  const code = layout.hash === 'sha2-256' ? 0x12 : 0xb220
  return {
    name: layout.hash,
    code,
    digest: (bytes: Uint8Array) => make(0x70, bytes).multihash as Digest.Digest<number, number>,
  } as never
}
