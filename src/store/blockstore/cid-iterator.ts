/**
 * Iterates the CIDs of a payload in storage order, in batches through the section scanner so memory stays
 * bounded (a scan restarts where the last batch stopped).
 */
import type { CID } from 'multiformats/cid'
import { cidParts } from '../car/cid-bytes.ts'
import { throwIfAborted } from '../car/errors.ts'
import { scanSections } from '../car/scan.ts'
import { cidAt } from '../car/section.ts'
import type { ByteSource, CarLayout, ReadOptions } from '../car/types.ts'

const BATCH = 1024

/** The CID of every section of the payload `layout` describes. */
export async function* iterateCids(source: ByteSource, layout: CarLayout, options: ReadOptions = {}): AsyncGenerator<CID> {
  let from = layout.headerLength
  for (;;) {
    throwIfAborted(options.signal)
    const batch: CID[] = []
    const end = await scanSections(
      source,
      layout,
      (s) => {
        const cidEnd = s.at + s.headerLength
        batch.push(cidAt(s.buf, cidEnd - cidParts.length, cidEnd))
        return batch.length < BATCH
      },
      { from, maxSectionSize: options.maxSectionSize, zeroLengthSectionAsEof: options.zeroLengthSectionAsEof, signal: options.signal },
    )
    yield* batch
    if (end.reason !== 'stopped') return
    from = end.end
  }
}
