import * as UnixFS from '@ipld/unixfs'
import { withMaxChunkSize } from '@ipld/unixfs/file/chunker/fixed'
import { withWidth } from '@ipld/unixfs/file/layout/balanced'
import fc from 'fast-check'
import { createFileEncoderStream } from 'ipfs-car'
import * as raw from 'multiformats/codecs/raw'
import { describe, expect, it } from 'vitest'
import { FileDagBuilder, IPFS_CAR_LAYOUT, LOTUS_LAYOUT, type UnixfsLayout } from '../../../src/store/unixfs/index.ts'

const MiB = 1 << 20

function build(layout: UnixfsLayout, data: Uint8Array) {
  const leaves: Array<{ offset: number; size: number }> = []
  const branches: string[] = []
  const b = new FileDagBuilder(layout, { leaf: (_c, offset, length) => leaves.push({ offset, size: length }), branch: (cid) => branches.push(cid.toString()) })
  for (let o = 0; o < data.length; o += layout.chunkSize) b.write(data.subarray(o, o + layout.chunkSize))
  return { root: b.close(), leaves, branches }
}

/** The same DAG built by @ipld/unixfs itself (what ipfs-car runs), for any chunk size and width. */
async function reference(data: Uint8Array, chunk: number, width: number): Promise<string> {
  const settings = UnixFS.configure({ fileChunkEncoder: raw, smallFileEncoder: raw, chunker: withMaxChunkSize(chunk), fileLayout: withWidth(width) })
  const { readable, writable } = new TransformStream({}, UnixFS.withCapacity(1 << 30))
  const drain = readable.pipeTo(new WritableStream({ write() {} }))
  const w = UnixFS.createWriter({ writable, settings })
  const f = UnixFS.createFileWriter(w)
  await f.write(data)
  const { cid } = await f.close()
  await w.close()
  await drain
  return cid.toString()
}

/** ipfs-car's own encoder: the root is the CID of the last block it emits. */
async function ipfsCar(data: Uint8Array): Promise<string> {
  let last = ''
  await createFileEncoderStream(new Blob([data as Uint8Array<ArrayBuffer>])).pipeTo(new WritableStream({ write: (b) => void (last = b.cid.toString()) }))
  return last
}

const pattern = (n: number, seed = 0) => {
  const a = new Uint8Array(n)
  for (let i = 0; i < n; i++) a[i] = (i * 31 + seed) & 255
  return a
}

describe('the UnixFS file builder', () => {
  it("gives ipfs-car's root CID at the chunk and tree boundaries", async () => {
    for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5]) {
      const data = pattern(size, size)
      expect(build(IPFS_CAR_LAYOUT, data).root.cid.toString(), `size ${size}`).toBe(await ipfsCar(data))
    }
  })

  it("gives ipfs-car's root CID for 1024 chunks + 1 byte (a second tree level)", async () => {
    const data = pattern(1024 * MiB + 1, 7)
    const mine = build(IPFS_CAR_LAYOUT, data)
    expect(mine.root.cid.toString()).toBe(await reference(data, MiB, 1024))
    expect(mine.branches).toHaveLength(3) // 1024-leaf node, 1-leaf node, root
    expect(mine.root.contentByteLength).toBe(data.length)
  }, 60_000)

  it('matches @ipld/unixfs node for node on every tree shape (small chunks and widths)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 400 }), async (width, chunk, size) => {
        const layout: UnixfsLayout = { ...IPFS_CAR_LAYOUT, chunkSize: chunk, width }
        const data = pattern(size, width * chunk)
        expect(build(layout, data).root.cid.toString()).toBe(await reference(data, chunk, width))
      }),
      { numRuns: 300 },
    )
  })

  it('reports every leaf with its offset and size, covering the file exactly once', () => {
    const data = pattern(5 * MiB + 123)
    const { leaves, root } = build(IPFS_CAR_LAYOUT, data)
    expect(leaves.map((l) => l.offset)).toEqual([0, 1, 2, 3, 4, 5].map((i) => i * MiB))
    expect(leaves.reduce((n, l) => n + l.size, 0)).toBe(data.length)
    expect(root.contentByteLength).toBe(data.length)
  })

  it('uses blake2b-256 and inlines blocks of at most 126 bytes in the lotus layout', () => {
    const tiny = build(LOTUS_LAYOUT, pattern(126)).root.cid
    expect(tiny.multihash.code).toBe(0x00)
    expect(tiny.multihash.digest).toEqual(pattern(126))
    const small = build(LOTUS_LAYOUT, pattern(127)).root.cid
    expect(small.multihash.code).toBe(0xb220)
    expect(small.code).toBe(raw.code)
    const empty = build(LOTUS_LAYOUT, new Uint8Array(0)).root.cid
    expect(empty.toString()).toBe('bafkqaaa')
    const big = build(LOTUS_LAYOUT, pattern(2 * MiB + 1)).root.cid
    expect(big.code).toBe(0x70)
    expect(big.multihash.code).toBe(0xb220)
  })
})
