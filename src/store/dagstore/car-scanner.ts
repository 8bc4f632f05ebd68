/**
 * The production ShardScanner: reads a mount's CAR through the CAR layer's section scanner. A CARv1
 * piece is followed by zero padding up to its piece size, and the first zero byte after the last section
 * reads as a zero-length section, which ends the payload (as go-car's ZeroLengthSectionAsEOF, which Lotus
 * turns on for unsealed pieces). A CARv2's payload is read at its data offset for its data size; its
 * embedded index is never trusted, the payload is always scanned. Block bytes are skipped, not read or
 * hashed: indexing touches little more than section headers, and every block read from a shard is
 * verified against its CID then (block-reader.ts).
 */
import { cidParts } from '../car/cid-bytes.ts'
import { IDENTITY } from '../car/constants.ts'
import { readCarLayout } from '../car/read-header.ts'
import { scanSections } from '../car/scan.ts'
import type { ByteSource, CarLayout } from '../car/types.ts'
import { EntryBatch } from './entry-batch.ts'
import type { MountReader, ShardScan, ShardScanner } from './types.ts'

/** Options of the CAR scanner. */
export interface CarScannerOptions {
  /** Entries per batch handed to the index store (one SQLite transaction of pages each). Default 65,536. */
  batchSize?: number
  /** Index identity CIDs too (default false, as go-car: their bytes are in the CID). */
  includeIdentity?: boolean
  /** Largest section accepted (default go-car's 8 MiB). */
  maxSectionSize?: number
  /** Largest CARv1 header accepted (default go-car's 32 MiB). */
  maxHeaderSize?: number
}

/** The mount's bytes as a ByteSource (positional reads into the scanner's reused window). */
export function mountByteSource(reader: MountReader): ByteSource {
  return {
    size: reader.size,
    synchronous: true,
    read(target, position) {
      if (reader.readInto) return reader.readInto(target, position)
      const bytes = reader.readAt(position, target.length)
      target.set(bytes)
      return bytes.length
    },
  }
}

/** A ShardScanner over petal's CAR layer. */
export function createCarScanner(options: CarScannerOptions = {}): ShardScanner {
  const batchSize = Math.max(1, options.batchSize ?? 65_536)
  const includeIdentity = options.includeIdentity ?? false
  return async (reader, { signal }): Promise<ShardScan> => {
    const source = mountByteSource(reader)
    const layout = await readCarLayout(source, { maxHeaderSize: options.maxHeaderSize })
    return { dataOffset: layout.dataOffset, roots: layout.roots, entries: scanBatches(source, layout, batchSize, includeIdentity, options.maxSectionSize, signal) }
  }
}

/** The payload's entries in batches: the scan stops when a batch is full and resumes after it. */
async function* scanBatches(
  source: ByteSource,
  layout: CarLayout,
  batchSize: number,
  includeIdentity: boolean,
  maxSectionSize: number | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<EntryBatch> {
  let from = layout.headerLength
  for (;;) {
    const batch = new EntryBatch(Math.min(batchSize, 1 << 14))
    const end = await scanSections(
      source,
      layout,
      (s) => {
        if (!includeIdentity && cidParts.hashCode === IDENTITY) return
        batch.push(s.buf, cidParts.multihashStart, s.at + s.headerLength, s.offset, s.length - s.headerLength)
        if (batch.count >= batchSize) return false
      },
      { from, maxSectionSize, signal },
    )
    if (batch.count > 0) yield batch
    if (end.reason !== 'stopped') return
    from = end.end
  }
}
