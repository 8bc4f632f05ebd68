/**
 * Writes one shard's index from its mount: the scanner's batches become pages (committed per batch), and
 * the lookup rows go in sorted runs, a transaction per step with the event loop free between steps — or,
 * for a small shard, to the lookup group commit (./lookup-batch.ts), whose promise the caller awaits.
 */
import { toEntryBatch } from './entry-batch.ts'
import type { IndexStore } from './index-store.ts'
import type { LookupBatch } from './lookup-batch.ts'
import type { MountReader, ShardScanner } from './types.ts'

/** Shards with at most this many blocks commit their lookup rows in groups. */
const SMALL_SHARD_ROWS = 1 << 16

/** What writing a shard's index gave. */
export interface WrittenIndex {
  dataOffset: number
  roots: string[]
  entries: number
  /** A small shard's lookup rows, committed when this settles; undefined when they are in already. */
  committed?: Promise<void>
}

/** Scans `reader` with `scan` and writes the index of shard `shardId` (whose old rows are dropped). */
export async function writeShardIndex(
  index: IndexStore,
  lookups: LookupBatch,
  shardId: number,
  reader: MountReader,
  scan: ShardScanner,
  signal?: AbortSignal,
): Promise<WrittenIndex> {
  const scanned = await scan(reader, { signal })
  const writer = index.writer(shardId)
  for await (const batch of scanned.entries) {
    writer.write(toEntryBatch(batch))
    while (writer.step()) await nextTurn(signal)
  }
  const written = { dataOffset: scanned.dataOffset, roots: scanned.roots.map(String), entries: writer.count }
  const small = writer.detachSmall(SMALL_SHARD_ROWS)
  if (small) return { ...written, committed: lookups.add(small) }
  writer.end()
  while (writer.step()) await nextTurn(signal)
  return written
}

/** Resolves on a later turn of the event loop (throws if aborted meanwhile). */
function nextTurn(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0))).then(() => signal?.throwIfAborted())
}
