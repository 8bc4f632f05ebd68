/**
 * putMany's fast path when the native CAR kernels are installed: small sections are encoded into a 1 MiB
 * batch, and one native call per batch (`CarNative.putSections`) drops those whose multihash the index
 * already holds, adds the rest to the index's columns and hash table, and compacts the batch, which is then
 * written at once. The file and the index come out exactly as the TypeScript path (`addIfAbsent` and
 * `SectionWriter.append` per block) makes them; the kernel hands back any block it does not take.
 */
import type { CarIndex } from '../car/car-index.ts'
import type { CarNative } from '../car/native.ts'
import { encodeVarintInto, varintSize } from '../car/varint.ts'
import { BATCH, DIRECT, type SectionWriter } from './section-writer.ts'
import type { Block } from './types.ts'

/** A batch of sections waiting for the native dedupe. */
export class NativePutBatch {
  readonly #batch = new Uint8Array(BATCH)
  #used = 0
  #keyBytes = 0
  #blocks: Block[] = []

  /** `putLeftover` puts a block the TypeScript way: one the kernel did not take, in its turn. */
  constructor(
    readonly native: CarNative,
    readonly index: CarIndex,
    readonly out: SectionWriter,
    readonly dataOffset: number,
    readonly putLeftover: (block: Block) => void,
  ) {}

  /**
   * Encodes the section of `block` into the batch; false (and nothing done) when the batch is full (`flush`
   * and add it again) or the section too large to batch (`flush`, then write it the TypeScript way).
   */
  add(block: Block): boolean {
    const cidBytes = block.cid.bytes
    const bytes = block.bytes
    const len = cidBytes.length + bytes.length
    const total = varintSize(len) + len
    if (total >= DIRECT || this.#used + total > BATCH) return false
    const batch = this.#batch
    const at = encodeVarintInto(len, batch, this.#used)
    batch.set(cidBytes, at)
    batch.set(bytes, at + cidBytes.length)
    this.#used = at + len
    this.#keyBytes += cidBytes.length
    this.#blocks.push(block)
    return true
  }

  /** Dedupes, indexes and writes what is batched. A write error is thrown as it comes. */
  flush(): void {
    const blocks = this.#blocks
    if (blocks.length === 0) return
    // A CID's multihash is no longer than the CID: its bytes bound the keys' bytes.
    const table = this.index.table(blocks.length, this.#keyBytes)
    const done = this.native.putSections(this.#batch, this.#used, this.out.end - this.dataOffset, table)
    this.index.commitTable(table)
    this.#used = 0
    this.#keyBytes = 0
    this.#blocks = []
    if (done.length > 0) this.out.appendEncoded(this.#batch.subarray(0, done.length))
    for (let k = done.sections; k < blocks.length; k++) this.putLeftover(blocks[k])
  }
}
