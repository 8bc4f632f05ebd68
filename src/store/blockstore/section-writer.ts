/**
 * Appends CAR sections to a file at positional offsets: small sections are gathered into 1 MiB batches
 * (written when full or on `flush`), a large one goes out at once in one vectored write with no copy in
 * user space. Errors are thrown as they come; the store decides what they mean.
 */
import { writeSync, writevSync } from 'node:fs'
import { encodeVarintInto, varintSize } from '../car/varint.ts'

/** Size of a batch of small sections. */
export const BATCH = 1 << 20
/** Sections at least this large skip the batch: one vectored write, no copy in user space. */
export const DIRECT = 64 << 10

/** The section writer of one open file. */
export class SectionWriter {
  #batch: Uint8Array | undefined
  #batchLength = 0
  #end: number
  #flushed: number

  /** Writes to `fd` from absolute position `end`. */
  constructor(
    readonly fd: number,
    end: number,
  ) {
    this.#end = end
    this.#flushed = end
  }

  /** Absolute end of what is written or batched. */
  get end(): number {
    return this.#end
  }

  /** Absolute end of what is on disk. */
  get flushed(): number {
    return this.#flushed
  }

  /** Appends the section of a block: batched, or written through at once. */
  append(cidBytes: Uint8Array, bytes: Uint8Array, batched: boolean): void {
    const len = cidBytes.length + bytes.length
    const total = varintSize(len) + len
    if (batched && total < DIRECT) {
      if (this.#batch === undefined) this.#batch = new Uint8Array(BATCH)
      if (this.#batchLength + total > BATCH) this.flush()
      let p = encodeVarintInto(len, this.#batch, this.#batchLength)
      this.#batch.set(cidBytes, p)
      p += cidBytes.length
      this.#batch.set(bytes, p)
      this.#batchLength = p + bytes.length
    } else {
      this.flush()
      const head = new Uint8Array(total - bytes.length)
      head.set(cidBytes, encodeVarintInto(len, head, 0))
      let done = writevSync(this.fd, [head, bytes], this.#end)
      // A short vectored write is finished piece by piece.
      if (done < total) {
        const whole = new Uint8Array(total)
        whole.set(head)
        whole.set(bytes, head.length)
        while (done < total) done += writeSync(this.fd, whole, done, total - done, this.#end + done)
      }
      this.#flushed += total
    }
    this.#end += total
  }

  /** Writes `sections`, whole encoded sections, after what is batched, at once. */
  appendEncoded(sections: Uint8Array): void {
    this.flush()
    writeAll(this.fd, sections, this.#end)
    this.#end += sections.length
    this.#flushed = this.#end
  }

  /** Writes what is batched. */
  flush(): void {
    if (this.#batchLength === 0 || this.#batch === undefined) return
    writeAll(this.fd, this.#batch.subarray(0, this.#batchLength), this.#flushed)
    this.#flushed += this.#batchLength
    this.#batchLength = 0
  }
}

/** Writes all of `bytes` at `position`. */
export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done)
}
