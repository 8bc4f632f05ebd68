/**
 * Test helpers: every gateway-conformance fixture CAR loaded into one in-memory block source (as the suite's
 * harness merges them), plus independent reference computations of expected block lists: path entries and
 * HAMT shard reads recorded from ipfs-unixfs-exporter, descendants by a plain dag-pb DFS (the suite's own
 * `MustGetDescendantsCids` rule).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as dagPb from '@ipld/dag-pb'
import { CarReader } from '@ipld/car'
import { exporter } from 'ipfs-unixfs-exporter'
import { CID } from 'multiformats/cid'
import type { Block, BlockGetter } from '../../../src/store/dag/index.ts'

export const FIXTURES = fileURLToPath(new URL('../../fixtures/gateway/', import.meta.url))

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** Blocks keyed by multihash, as a dagstore index finds them; records every `get`. */
export class MemoryBlocks implements BlockGetter {
  readonly blocks = new Map<string, Uint8Array>()
  readonly gets: CID[] = []

  put(cid: CID, bytes: Uint8Array): void {
    this.blocks.set(hex(cid.multihash.bytes), bytes)
  }

  async get(cid: CID): Promise<Uint8Array | undefined> {
    this.gets.push(cid)
    return this.blocks.get(hex(cid.multihash.bytes))
  }

  async has(cid: CID): Promise<boolean> {
    return this.blocks.has(hex(cid.multihash.bytes))
  }

  delete(cid: CID): void {
    this.blocks.delete(hex(cid.multihash.bytes))
  }

  /** A copy holding the same blocks. */
  clone(): MemoryBlocks {
    const c = new MemoryBlocks()
    for (const [k, v] of this.blocks) c.blocks.set(k, v)
    return c
  }
}

function carFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? carFiles(p) : f.endsWith('.car') ? [p] : []
  })
}

/** A fixture CAR's root and its blocks in file order. */
export async function readFixture(name: string): Promise<{ root: CID; blocks: Block[] }> {
  const reader = await CarReader.fromBytes(readFileSync(join(FIXTURES, name)))
  const blocks: Block[] = []
  for await (const b of reader.blocks()) blocks.push({ cid: CID.asCID(b.cid)!, bytes: b.bytes })
  return { root: CID.asCID((await reader.getRoots())[0])!, blocks }
}

let all: MemoryBlocks | undefined
/** Every fixture's blocks in one source (shared; tests that delete blocks clone it first). */
export async function allFixtures(): Promise<MemoryBlocks> {
  if (all) return all
  const store = new MemoryBlocks()
  for (const file of carFiles(FIXTURES)) {
    const reader = await CarReader.fromBytes(readFileSync(file))
    for await (const b of reader.blocks()) store.put(CID.asCID(b.cid)!, b.bytes)
  }
  all = store
  return store
}

/** Root CID of a fixture (the CAR header's first root). */
export async function fixtureRoot(name: string): Promise<CID> {
  return (await readFixture(name)).root
}

/** An interface-blockstore view over MemoryBlocks for ipfs-unixfs-exporter that records the CIDs it reads. */
function exporterStore(source: MemoryBlocks, reads: CID[]) {
  return {
    get: (cid: CID) => {
      reads.push(cid)
      return (async function* () {
        const bytes = await source.get(cid)
        if (bytes === undefined) throw Object.assign(new Error(`missing ${cid}`), { name: 'NotFoundError' })
        yield bytes
      })()
    },
    has: async (cid: CID) => source.has(cid),
  }
}

/**
 * The CIDs ipfs-unixfs-exporter reads to resolve `root/...path`, in order: the root, every directory or HAMT
 * shard on the way, the terminal. This is the reference for path blocks (the suite records boxo's reads the same way).
 */
export async function exporterPathReads(source: MemoryBlocks, root: CID, path: string[]): Promise<string[]> {
  const reads: CID[] = []
  await exporter(path.length ? `${root}/${path.join('/')}` : root, exporterStore(source, reads) as never)
  return reads.map((c) => c.toString())
}

/** The CID the exporter resolves `root/...path` to, exactly as linked. */
export async function exporterCid(source: MemoryBlocks, root: CID, path: string[]): Promise<CID> {
  const entry = await exporter(path.length ? `${root}/${path.join('/')}` : root, exporterStore(source, []) as never)
  return CID.asCID(entry.cid)!
}

/** Every descendant of a dag-pb node, depth-first pre-order in link order (the suite's MustGetDescendantsCids). */
export async function descendants(source: MemoryBlocks, cid: CID): Promise<string[]> {
  const out: string[] = []
  const visit = async (c: CID) => {
    if (c.code !== 0x70) return
    const node = dagPb.decode((await source.get(c))!)
    for (const l of node.Links) {
      out.push(l.Hash.toString())
      await visit(CID.asCID(l.Hash)!)
    }
  }
  await visit(cid)
  return out
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
