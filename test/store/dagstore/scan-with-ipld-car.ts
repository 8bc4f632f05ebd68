/**
 * A ShardScanner built on @ipld/car's CarIndexer, for dagstore tests that need a scanner independent of
 * petal's CAR layer. It handles CARv1 and CARv2 files (not zero-padded pieces).
 */
import { CarIndexer } from '@ipld/car'
import type { IndexEntry, ShardScanner } from '../../../src/store/dagstore/index.ts'

export const scanWithIpldCar: ShardScanner = async (reader) => {
  const bytes = reader.readAt(0, reader.size)
  const indexer = await CarIndexer.fromBytes(bytes)
  const dataOffset = indexer.version === 2 ? Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(11 + 16, true)) : 0
  const roots = await indexer.getRoots()
  return {
    dataOffset,
    roots,
    entries: (async function* () {
      const batch: IndexEntry[] = []
      for await (const e of indexer) batch.push({ multihash: e.cid.multihash.bytes, offset: e.offset - dataOffset, size: e.blockLength })
      yield batch
    })(),
  }
}
