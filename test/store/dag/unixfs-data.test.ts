import fc from 'fast-check'
import { exporter } from 'ipfs-unixfs-exporter'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodePbNode, decodeUnixfsData, fileSize, UnixfsDataError, UnixfsType } from '../../../src/store/dag/index.ts'
import { allFixtures, type MemoryBlocks } from './fixtures.ts'

let store: MemoryBlocks
beforeAll(async () => {
  store = await allFixtures()
})

const TYPES: Record<string, number> = { raw: UnixfsType.Raw, directory: UnixfsType.Directory, file: UnixfsType.File, symlink: UnixfsType.Symlink, 'hamt-sharded-directory': UnixfsType.HAMTShard }

describe('UnixFS Data decoding', () => {
  it('agrees with ipfs-unixfs (through ipfs-unixfs-exporter) on every UnixFS node of the fixtures', async () => {
    const { CID } = await import('multiformats/cid')
    let checked = 0
    for (const [key, bytes] of store.blocks) {
      const mh = Buffer.from(key, 'hex')
      if (mh[0] !== 0x12) continue
      const { decode } = await import('multiformats/hashes/digest')
      const cid = CID.createV1(0x70, decode(mh))
      let node
      try {
        node = decodePbNode(cid, bytes)
      } catch {
        continue // not dag-pb: raw, dag-cbor, dag-json blocks share the store
      }
      if (node.unixfs === undefined) continue
      const entry = await exporter(cid, { get: (c: unknown) => (async function* () { yield (await store.get(c as never))! })() } as never)
      const ref = (entry as unknown as { unixfs: { type: string; blockSizes: bigint[]; fanout?: bigint; hashType?: bigint; fileSize(): bigint; data?: Uint8Array } }).unixfs
      const mine = node.unixfs
      expect(mine.type).toBe(TYPES[ref.type])
      expect(mine.blocksizes.map(BigInt)).toEqual(ref.blockSizes)
      if (mine.type === UnixfsType.File) expect(BigInt(fileSize(mine))).toBe(ref.fileSize())
      if (mine.type === UnixfsType.HAMTShard) {
        // ipfs-unixfs's unmarshal drops hashType, so only the fanout can be compared.
        expect(BigInt(mine.fanout!)).toBe(ref.fanout)
        expect(mine.hashType).toBe(0x22)
      }
      checked++
    }
    expect(checked).toBeGreaterThan(250)
  })

  it('reads packed and unpacked blocksizes alike', () => {
    const unpacked = new Uint8Array([0x08, 0x02, 0x20, 0x80, 0x02, 0x20, 0x02])
    const packed = new Uint8Array([0x08, 0x02, 0x22, 0x03, 0x80, 0x02, 0x02])
    expect(decodeUnixfsData(unpacked).blocksizes).toEqual([256, 2])
    expect(decodeUnixfsData(packed).blocksizes).toEqual([256, 2])
    expect(fileSize(decodeUnixfsData(packed))).toBe(258)
  })

  it('skips unknown fields and refuses a message without a Type', () => {
    expect(decodeUnixfsData(new Uint8Array([0x08, 0x01, 0x3a, 0x02, 0x08, 0x01, 0x45, 1, 2, 3, 4])).type).toBe(UnixfsType.Directory)
    expect(() => decodeUnixfsData(new Uint8Array([0x18, 0x05]))).toThrow(UnixfsDataError)
  })

  it('only ever throws UnixfsDataError on hostile bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeUnixfsData(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(UnixfsDataError)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
