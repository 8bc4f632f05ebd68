/**
 * Read-ahead for a walk: `prefetch` starts loading a block the walk has said it will want, `load` hands over
 * the pending load (or loads at once for a block nobody announced). At most `window` loads are held, so
 * memory stays bounded by `window` blocks whatever the walk skips.
 */
import type { CID } from 'multiformats/cid'
import type { BlockLoader } from './path.ts'

/** A loader with read-ahead, to pass as a walk's `load` and `prefetch` hooks. */
export interface ReadAheadLoader {
  load: BlockLoader
  prefetch(cid: CID): void
}

const ignore = () => {}

/** Wraps `load` (any async loader) with a read-ahead of up to `window` blocks. */
export function readAhead(load: BlockLoader, window = 4): ReadAheadLoader {
  const pending = new Map<string, Promise<Uint8Array | undefined>>()
  return {
    load(cid) {
      const key = cid.toString()
      const started = pending.get(key)
      if (started === undefined) return load(cid)
      pending.delete(key)
      return started
    },
    prefetch(cid) {
      const key = cid.toString()
      if (pending.has(key) || pending.size >= window) return
      const started = Promise.resolve().then(() => load(cid))
      // A load the walk never collects (it stopped, or skipped the block) must not be an unhandled rejection.
      started.catch(ignore)
      pending.set(key, started)
    },
  }
}
