/**
 * Open mount readers kept between block reads, by shard key: each open counts a user until released, and
 * beyond `keep` readers the idle ones are closed, least recently used first.
 */
import type { MountReader } from './types.ts'

/** The dagstore's cache of open readers. */
export class ReaderCache {
  readonly #readers = new Map<string, { reader: MountReader; users: number }>()

  constructor(readonly keep: number) {}

  /** The reader of shard `key`, opened with `open` unless one is cached; the caller is a user until `release`. */
  async open(key: string, open: () => Promise<MountReader>): Promise<MountReader> {
    const cached = this.#readers.get(key)
    if (cached) {
      cached.users++
      // Most recently used last, for eviction order.
      this.#readers.delete(key)
      this.#readers.set(key, cached)
      return cached.reader
    }
    const reader = await open()
    this.#readers.set(key, { reader, users: 1 })
    this.#evictIdle()
    return reader
  }

  /** One user of shard `key`'s reader is done with it. */
  release(key: string): void {
    const cached = this.#readers.get(key)
    if (cached) cached.users--
    this.#evictIdle()
  }

  /** Closes shard `key`'s reader unless someone is using it. */
  drop(key: string): void {
    const cached = this.#readers.get(key)
    if (!cached || cached.users > 0) return
    this.#readers.delete(key)
    cached.reader.close()
  }

  /** Closes every idle reader. */
  close(): void {
    for (const key of [...this.#readers.keys()]) this.drop(key)
  }

  #evictIdle(): void {
    if (this.#readers.size <= this.keep) return
    for (const [key, r] of this.#readers) {
      if (this.#readers.size <= this.keep) break
      if (r.users === 0) this.drop(key)
    }
  }
}
