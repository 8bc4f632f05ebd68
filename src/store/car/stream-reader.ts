/**
 * A pull reader over an AsyncIterable of byte chunks. Bytes already buffered are read synchronously
 * (`buf[pos, end)`), `fill(n)` makes `n` contiguous bytes available (copying only when a request spans
 * chunks), and views handed out are never written to again, so blocks can alias the input chunks.
 */
const EMPTY = new Uint8Array(0)

/** Buffered reader over a byte stream. */
export class ByteStreamReader {
  /** Current buffer; the unread bytes are `buf[pos, end)`. */
  buf: Uint8Array = EMPTY
  pos = 0
  end = 0
  #base = 0
  #pending: Uint8Array | null = null
  #it: AsyncIterator<Uint8Array> | Iterator<Uint8Array>
  #done = false

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.#it = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()
  }

  /** Bytes consumed so far (the stream position of `buf[pos]`). */
  get position(): number {
    return this.#base + this.pos
  }

  /** Unread bytes in the current buffer. */
  get available(): number {
    return this.end - this.pos
  }

  /** Makes at least `n` bytes contiguous in `buf[pos, …)`; false when the stream ends first (what is left is buffered). */
  async fill(n: number): Promise<boolean> {
    if (this.end - this.pos >= n) return true
    const have = this.end - this.pos
    let target: Uint8Array | null = null
    let filled = 0
    for (;;) {
      const chunk = await this.#next()
      if (chunk === null) {
        if (target !== null) this.#setBuffer(target, filled)
        return false
      }
      if (target === null) {
        if (have === 0 && chunk.length >= n) {
          this.#setBuffer(chunk, chunk.length)
          return true
        }
        target = new Uint8Array(Math.max(n, have + chunk.length))
        target.set(this.buf.subarray(this.pos, this.end))
        filled = have
      }
      const take = Math.min(chunk.length, target.length - filled)
      target.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled)
      filled += take
      if (take < chunk.length) this.#pending = chunk.subarray(take)
      if (filled >= n) {
        this.#setBuffer(target, filled)
        return true
      }
    }
  }

  /** Skips `n` bytes without copying them; returns how many were skipped (fewer at the end of the stream). */
  async skip(n: number): Promise<number> {
    let left = n
    for (;;) {
      const avail = this.end - this.pos
      if (avail >= left) {
        this.pos += left
        return n
      }
      this.pos = this.end
      left -= avail
      const chunk = await this.#next()
      if (chunk === null) return n - left
      this.#setBuffer(chunk, chunk.length)
    }
  }

  /** Stops the underlying iterator (lets a file stream close early). */
  async cancel(): Promise<void> {
    if (!this.#done) {
      this.#done = true
      await this.#it.return?.()
    }
  }

  #setBuffer(b: Uint8Array, len: number): void {
    this.#base += this.pos
    this.buf = b
    this.pos = 0
    this.end = len
  }

  async #next(): Promise<Uint8Array | null> {
    if (this.#pending !== null) {
      const p = this.#pending
      this.#pending = null
      return p
    }
    if (this.#done) return null
    for (;;) {
      const r = await this.#it.next()
      if (r.done === true) {
        this.#done = true
        return null
      }
      if (r.value.length > 0) return r.value
    }
  }
}
