/**
 * Hostile input: random mutations of every fixture (byte flips, truncations, insertions, absurd header
 * fields) fed to every reader. The only acceptable outcomes are success or one of petal's typed errors —
 * no crash, no hang, and no read larger than the scan window or the section cap.
 */
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ReadOnlyBlockstore } from '../../../src/store/blockstore/index.ts'
import {
  bytesSource,
  generateIndex,
  generateIndexFromStream,
  inspectCar,
  readCarLayout,
  readCarStream,
  readIndex,
  type ByteSource,
} from '../../../src/store/car/index.ts'
import { chunked, fixture, fixtureBytes, StoreError } from './helpers.ts'

const CAPS = { maxHeaderSize: 64 << 10, maxSectionSize: 256 << 10 }
const LARGEST_READ = Math.max(1 << 20, CAPS.maxSectionSize + 64)

function fixtures(): string[] {
  const root = fixture('')
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (!/\.(md|json)$|SOURCES$/.test(name)) out.push(relative(root, path))
    }
  }
  walk(root)
  return out.sort()
}

/** A source that records the largest single read it was asked for. */
function watched(bytes: Uint8Array): { source: ByteSource; largest: () => number } {
  const inner = bytesSource(bytes)
  let largest = 0
  return {
    source: {
      size: inner.size,
      read(target, position) {
        largest = Math.max(largest, target.length)
        return inner.read(target, position)
      },
    },
    largest: () => largest,
  }
}

async function allReaders(bytes: Uint8Array): Promise<void> {
  const attempts: Array<() => Promise<unknown>> = [
    async () => {
      const stream = await readCarStream(chunked(bytes, 4093), CAPS)
      for await (const b of stream.blocks()) void b
    },
    () => generateIndexFromStream(chunked(bytes, 65536), CAPS),
    async () => {
      const w = watched(bytes)
      try {
        await generateIndex(w.source, CAPS)
      } finally {
        expect(w.largest()).toBeLessThanOrEqual(LARGEST_READ)
      }
    },
    async () => {
      const w = watched(bytes)
      try {
        await inspectCar(w.source, CAPS)
      } finally {
        expect(w.largest()).toBeLessThanOrEqual(LARGEST_READ)
      }
    },
    async () => {
      const store = await ReadOnlyBlockstore.create(bytesSource(bytes), CAPS)
      let n = 0
      for await (const cid of store.cids()) {
        await store.get(cid)
        if (++n > 50) break
      }
    },
    async () => {
      const layout = await readCarLayout(bytesSource(bytes), CAPS)
      if (layout.v2 !== undefined && layout.v2.indexOffset !== 0) await readIndex(bytesSource(bytes), { start: layout.v2.indexOffset })
    },
  ]
  for (const attempt of attempts) {
    try {
      await attempt()
    } catch (err) {
      if (!(err instanceof StoreError)) throw err
    }
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('header' as const), at: fc.nat(39), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('early' as const), at: fc.nat(200), value: fc.nat(255) }),
)

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never

function mutate(original: Uint8Array, edits: Mutation[]): Uint8Array {
  let b = original.slice()
  for (const e of edits) {
    const at = Math.min(b.length - 1, Math.floor((e.kind === 'header' || e.kind === 'early' ? e.at : e.at * b.length) as number))
    if (b.length === 0) break
    if (e.kind === 'flip') b[at] ^= 1 << (e.value & 7)
    else if (e.kind === 'cut') b = b.slice(0, at)
    else if (e.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), e.value, ...b.subarray(at)])
    else if (e.kind === 'header') b[Math.min(b.length - 1, 11 + at)] = e.value
    else b[at] = e.value
  }
  return b
}

describe('hostile input', () => {
  for (const name of fixtures()) {
    const original = fixtureBytes(name)
    const runs = original.length > 100_000 ? 6 : 25
    it(`mutations of ${name} only raise typed errors`, async () => {
      await allReaders(original)
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (edits) => {
          await allReaders(mutate(original, edits))
        }),
        { numRuns: runs, seed: 0x5eed + original.length },
      )
    })
  }
})
