/**
 * Test helpers for retrieval: petal's real gateway over in-memory blocks on 127.0.0.1, a provider that
 * passes a real gateway's CAR through a mutation (wrong bytes, a dropped or an extra block, a cut), DAGs
 * built with the reference @ipld/unixfs, and reading exported trees back.
 */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import * as UnixFS from '@ipld/unixfs'
import { CarBlockIterator } from '@ipld/car'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { encodeCar } from '../../../src/store/car/write.ts'
import type { Block } from '../../../src/store/dag/index.ts'
import { buildFile } from '../../store/dag/build.ts'
import { MemoryBlocks } from '../../store/dag/fixtures.ts'
import { gatewayApp } from '../../http/gateway/helpers.ts'

/** A server and its base URL; `requests` records every request path it answered. */
export interface TestServer {
  url: string
  requests: string[]
  /** Bytes of response bodies sent. */
  sent: number
  stop(): void
}

/** Petal's trustless gateway over `blocks`, served by Bun.serve on 127.0.0.1. */
export function serveGateway(blocks: MemoryBlocks): TestServer {
  const { app } = gatewayApp({ blocks })
  const requests: string[] = []
  const state: TestServer = {
    url: '',
    requests,
    sent: 0,
    stop: () => server.stop(true),
  }
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => {
      const u = new URL(req.url)
      requests.push(`${u.pathname}${u.search}`)
      const res = await app.fetch(req)
      if (res.body === null) return res
      const counted = res.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (c, ctl) => { state.sent += c.length; ctl.enqueue(c) } }))
      return new Response(counted, { status: res.status, headers: res.headers })
    },
  })
  state.url = `http://127.0.0.1:${server.port}`
  return state
}

/** What a bad provider does to the blocks of a good response. */
export type Mutation =
  | { kind: 'flip'; at: number }
  | { kind: 'drop'; at: number }
  | { kind: 'extra'; block: Block }
  | { kind: 'swap'; at: number }
  | { kind: 'cut'; afterBytes: number; abrupt: boolean }

/**
 * A provider in front of `upstream` (a good gateway) that rewrites each CAR response with `mutate(n)` for the
 * n-th request (undefined: pass through unchanged).
 */
export function serveBadProvider(upstream: string, mutate: (n: number) => Mutation | undefined): TestServer {
  const requests: string[] = []
  const state: TestServer = { url: '', requests, sent: 0, stop: () => server.stop(true) }
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (req) => {
      const u = new URL(req.url)
      requests.push(`${u.pathname}${u.search}`)
      const res = await fetch(`${upstream}${u.pathname}${u.search}`, { headers: req.headers })
      const m = mutate(requests.length - 1)
      const body = new Uint8Array(await res.arrayBuffer())
      const headers = new Headers(res.headers)
      headers.delete('content-length')
      if (m === undefined || res.status !== 200) {
        state.sent += body.length
        return new Response(body, { status: res.status, headers })
      }
      if (m.kind === 'cut') {
        const part = body.subarray(0, m.afterBytes)
        state.sent += part.length
        let pulls = 0
        const stream = new ReadableStream<Uint8Array>({
          async pull(ctl) {
            if (pulls++ === 0) return ctl.enqueue(part)
            if (!m.abrupt) return ctl.close()
            // Let the first part reach the client before the connection breaks.
            await Bun.sleep(50)
            ctl.error(new Error('connection cut by the test provider'))
          },
        })
        return new Response(stream, { status: 200, headers })
      }
      const blocks: Block[] = []
      const reader = await CarBlockIterator.fromBytes(body)
      for await (const b of reader) blocks.push({ cid: CID.asCID(b.cid)!, bytes: b.bytes })
      const roots = (await reader.getRoots()).map((r) => CID.asCID(r)!)
      if (m.kind === 'flip') {
        const bytes = blocks[m.at].bytes.slice()
        bytes[bytes.length >> 1] ^= 0xff
        blocks[m.at] = { cid: blocks[m.at].cid, bytes }
      } else if (m.kind === 'drop') blocks.splice(m.at, 1)
      else if (m.kind === 'swap') [blocks[m.at], blocks[m.at + 1]] = [blocks[m.at + 1], blocks[m.at]]
      else blocks.push(m.block)
      const parts: Uint8Array[] = []
      for await (const c of encodeCar(roots, blocks)) parts.push(c)
      const out = Buffer.concat(parts)
      state.sent += out.length
      return new Response(out, { status: 200, headers })
    },
  })
  state.url = `http://127.0.0.1:${server.port}`
  return state
}

/** Deterministic pseudo-random bytes. */
export function testBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** A multi-block UnixFS file (raw leaves) put into `store`. */
export async function addFile(store: MemoryBlocks, bytes: Uint8Array, chunk = 64 * 1024, width = 8): Promise<CID> {
  const built = await buildFile(bytes, { chunk, width })
  for (const b of built.blocks) store.put(b.cid, b.bytes)
  return built.root
}

/** A tree: a file's bytes, or a directory of named entries. */
export type Tree = Uint8Array | { [name: string]: Tree }

/** Builds `tree` as UnixFS with @ipld/unixfs (the reference writer) into `store`; returns the root CID. */
export async function addTree(store: MemoryBlocks, tree: Tree): Promise<CID> {
  const { readable, writable } = new TransformStream<{ cid: unknown; bytes: Uint8Array }>({}, UnixFS.withCapacity(1 << 30) as never)
  const drain = readable.pipeTo(new WritableStream({ write: (b) => void store.put(CID.decode((b.cid as CID).bytes), b.bytes) }))
  const settings = UnixFS.configure({ fileChunkEncoder: raw, smallFileEncoder: raw } as never)
  const writer = UnixFS.createWriter({ writable, settings } as never)
  const add = async (t: Tree): Promise<{ cid: unknown; dagByteLength: number }> => {
    if (t instanceof Uint8Array) {
      const f = UnixFS.createFileWriter(writer)
      await f.write(t)
      return (await f.close()) as never
    }
    const dir = UnixFS.createDirectoryWriter(writer)
    for (const [name, sub] of Object.entries(t)) dir.set(name, (await add(sub)) as never)
    return (await dir.close()) as never
  }
  const link = await add(tree)
  await writer.close()
  await drain
  return CID.decode((link.cid as CID).bytes)
}

/** Reads a file or directory on disk back as a Tree (symlinks as `-> target` bytes). */
export function readTree(path: string): Tree {
  const st = lstatSync(path)
  if (st.isSymbolicLink()) return new TextEncoder().encode(`-> ${readlinkSync(path)}`)
  if (st.isFile()) return new Uint8Array(readFileSync(path))
  const out: { [name: string]: Tree } = {}
  for (const name of readdirSync(path).sort()) out[name] = readTree(join(path, name))
  return out
}

/** A tree as `path → sha-256 hex` (directories as `path/ → dir`), cheap to compare with toEqual. */
export function treeDigest(tree: Tree, at = ''): Record<string, string> {
  if (tree instanceof Uint8Array) return { [at]: createHash('sha256').update(tree).digest('hex') }
  const out: Record<string, string> = { [`${at}/`]: 'dir' }
  for (const [name, sub] of Object.entries(tree)) Object.assign(out, treeDigest(sub, `${at}/${name}`))
  return out
}

/** A raw block that belongs to no test DAG. */
export async function strayBlock(): Promise<Block> {
  const bytes = new TextEncoder().encode('not part of the DAG')
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}
