/**
 * A shard's index as a go-car index file: MultihashIndexSorted (0x0401, go-car's default, what
 * `car index create` writes) or IndexSorted (0x0400). Entries come from the dagstore's SQLite index, so
 * the file matches what go-car would generate from the shard's CAR (identity CIDs left out).
 */
import { CarIndex } from '../car/car-index.ts'
import { MULTIHASH_INDEX_SORTED } from '../car/constants.ts'
import { encodeIndex } from '../car/index-codec.ts'
import type { IndexCodec } from '../car/types.ts'
import type { Dagstore } from './dagstore.ts'
import { ShardStateError } from './errors.ts'

/** The encoded index of shard `key`; the shard must be indexed (Available or Serving). */
export function exportShardIndex(dagstore: Dagstore, key: string, codec: IndexCodec = MULTIHASH_INDEX_SORTED): { bytes: Uint8Array; entries: number } {
  const rec = dagstore.record(key)
  if (rec.state !== 'ShardStateAvailable' && rec.state !== 'ShardStateServing') throw new ShardStateError(key, rec.state, 'export the index of', 'ShardStateAvailable')
  const index = new CarIndex('multihash', Math.max(16, rec.entries))
  for (const e of dagstore.entries(key)) index.add(e.multihash, 0, e.multihash.length, e.offset, e.size)
  return { bytes: encodeIndex(index, codec), entries: index.count }
}
