/**
 * The provider side of bench/retrieve.ts, in its own process: builds a UnixFS file of `argv[2]` MiB of
 * pseudo-random bytes with @ipld/unixfs (1 MiB raw leaves, width 1024, as ipfs-car lays files out), holds its
 * blocks in memory and serves them with petal's trustless gateway on 127.0.0.1. Prints `port root`.
 */
import * as UnixFS from '@ipld/unixfs'
import { withMaxChunkSize } from '@ipld/unixfs/file/chunker/fixed'
import { withWidth } from '@ipld/unixfs/file/layout/balanced'
import { Hono } from 'hono'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { mountGateway } from '../../src/http/gateway/index.ts'

const mib = Number(process.argv[2] ?? 256)
const blocks = new Map<string, Uint8Array>()
const key = (cid: CID) => Buffer.from(cid.multihash.bytes).toString('hex')
const settings = UnixFS.configure({ chunker: withMaxChunkSize(1 << 20), fileLayout: withWidth(1024), fileChunkEncoder: raw, smallFileEncoder: raw } as never)
const { readable, writable } = new TransformStream<{ cid: unknown; bytes: Uint8Array }>({}, UnixFS.withCapacity(1 << 30) as never)
const drain = readable.pipeTo(new WritableStream({ write: (b) => void blocks.set(key(CID.decode((b.cid as CID).bytes)), b.bytes) }))
const writer = UnixFS.createWriter({ writable, settings } as never)
const file = UnixFS.createFileWriter(writer)
const chunk = new Uint8Array(1 << 20)
let x = 0x9e3779b9
for (let m = 0; m < mib; m++) {
  const words = new Uint32Array(chunk.buffer)
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words[i] = x >>> 0
  }
  await file.write(chunk.slice())
}
const { cid } = await file.close()
await writer.close()
await drain

const app = new Hono()
mountGateway(app, {
  blocks: { get: async (c: CID) => blocks.get(key(c)), has: async (c: CID) => blocks.has(key(c)) },
  // The blocks were hashed when they were made: serve them as a dagstore with a trusted index would.
  verifyBlocks: false,
})
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch, idleTimeout: 0 })
process.stdout.write(`${server.port} ${CID.decode((cid as CID).bytes).toString()}\n`)
