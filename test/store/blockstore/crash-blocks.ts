/** The deterministic blocks the crash test's writer and checker agree on. */
import type { Block } from '../../../src/store/blockstore/types.ts'
import { makeBlock, pseudoRandomBytes } from '../car/helpers.ts'

/** Seed of the single root block. */
export const CRASH_ROOT_SEED = 424242

/**
 * `count` distinct blocks from 1 byte to ~1.5 MiB (every fourth is large, so kills can land inside big
 * writes). Bytes are a shared pseudo-random pattern stamped with the block number: cheap to make in
 * every process, distinct by content.
 */
export async function crashBlocks(count: number, seed = 7): Promise<Block[]> {
  const pattern = pseudoRandomBytes(1_600_000, seed)
  const out: Block[] = []
  for (let i = 0; i < count; i++) {
    const size = i % 4 === 3 ? 1_000_000 + ((i * 7919) % 500_000) : 8 + ((i * 104729 + seed) % 40_000)
    const bytes = pattern.slice(i % 1000, (i % 1000) + size)
    new DataView(bytes.buffer).setUint32(0, i)
    out.push(await makeBlock(bytes))
  }
  return out
}
