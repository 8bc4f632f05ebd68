/** cids() keeps every CID intact past the scanner's window (regression: CIDs once pointed into a reused buffer). */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { afterAll, expect, it } from 'vitest'
import { openReadOnly, openReadWrite } from '../../../src/store/blockstore/index.ts'
import { readCarStream, readFileChunks } from '../../../src/store/car/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'petal-cids-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

it('lists 83 blocks of 32 KiB in order from a live, a resumed and a finalized store, and from a stream', async () => {
  const blocks = await Promise.all(
    Array.from({ length: 83 }, async (_, i) => {
      const bytes = new Uint8Array(32 << 10).fill(i + 1)
      return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
    }),
  )
  // The multihash is what lookups use; compare it as well as the CID's own bytes.
  const key = (c: CID) => `${c.toString()} ${Buffer.from(c.multihash.bytes).toString('hex')}`
  const want = blocks.map((b) => key(b.cid))
  const path = join(dir, 'many.car')
  const collect = async (it: AsyncIterable<CID>) => {
    const out: string[] = []
    for await (const c of it) out.push(key(c))
    return out
  }
  let rw = await openReadWrite(path, [blocks[0].cid])
  await rw.putMany(blocks.slice(0, 40))
  expect(await collect(rw.cids())).toEqual(want.slice(0, 40))
  await rw.close()
  rw = await openReadWrite(path, [blocks[0].cid])
  await rw.putMany(blocks.slice(40))
  expect(await collect(rw.cids())).toEqual(want)
  await rw.finalize()
  await rw.close()
  const ro = await openReadOnly(path)
  expect(await collect(ro.cids())).toEqual(want)
  await ro.close()
  const stream = await readCarStream(readFileChunks(path, { chunkSize: 4096 }))
  const streamed: string[] = []
  for await (const b of stream.blocks()) streamed.push(key(b.cid))
  expect(streamed).toEqual(want)
})
