/**
 * The index codecs on random indexes (round trips, sort order, duplicates, offsets past 4 GiB) and on
 * broken bytes (each structural rule has its typed error), plus the in-memory CarIndex itself.
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesSource, CarIndex, decodeIndex, encodeIndex, walkIndex } from '../../../src/store/car/index.ts'
import { expectCode, expectThrowsCode, StoreError } from './helpers.ts'

const entry = fc.record({
  code: fc.constantFrom(0x12, 0xb220, 0x00, 0x13),
  digest: fc.uint8Array({ minLength: 0, maxLength: 40 }),
  offset: fc.oneof(fc.nat(1 << 30), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
})

function multihash(code: number, digest: Uint8Array): Uint8Array {
  const head = code < 0x80 ? [code] : [(code & 0x7f) | 0x80, ...(code >= 0x4000 ? [((code >> 7) & 0x7f) | 0x80, code >> 14] : [code >> 7])]
  return Uint8Array.from([...head, digest.length, ...digest])
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('CarIndex', () => {
  it('finds every key, chains duplicates in insertion order and survives growth', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 3000 }), (entries) => {
        const index = new CarIndex('multihash', 16)
        const byKey = new Map<string, number[]>()
        entries.forEach((e, i) => {
          const mh = multihash(e.code, e.digest)
          index.add(mh, 0, mh.length, e.offset, i)
          const k = hex(mh)
          byKey.set(k, [...(byKey.get(k) ?? []), e.offset])
        })
        expect(index.count).toBe(entries.length)
        expect(index.distinctCount).toBe(byKey.size)
        for (const [k, offsets] of byKey) {
          const mh = Buffer.from(k, 'hex')
          const found: number[] = []
          for (let n = 0; ; n++) {
            const loc = index.locate(mh, n)
            if (loc === undefined) break
            found.push(loc.offset)
          }
          expect(found).toEqual(offsets)
        }
        expect(index.locate(Uint8Array.of(0x12, 1, 0xff, 0xee))).toBeUndefined()
        expect([...index.entries()].map((e) => e.offset)).toEqual(entries.map((e) => e.offset))
      }),
      { numRuns: 30 },
    )
  })

  it('addIfAbsent adds a key once, like find-then-add, before and after reserve and rehashing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(entry, fc.boolean()), { maxLength: 2000 }), fc.nat(3000), (items, room) => {
        const a = new CarIndex('multihash', 16)
        const b = new CarIndex('multihash', 16)
        items.forEach(([e, dup], i) => {
          if (i === 7) a.reserve(room)
          const mh = multihash(e.code, dup ? new Uint8Array(1) : e.digest)
          const want = b.find(mh) === -1 ? b.add(mh, 0, mh.length, e.offset, i) : -1
          expect(a.addIfAbsent(mh, 0, mh.length, e.offset, i)).toBe(want)
        })
        expect(a.count).toBe(b.count)
        expect(a.distinctCount).toBe(b.distinctCount)
        expect(hex(encodeIndex(a))).toBe(hex(encodeIndex(b)))
        for (let id = 0; id < b.count; id++) expect(a.locate(b.keyOf(id))).toEqual(b.locate(b.keyOf(id)))
      }),
      { numRuns: 30 },
    )
  })

  it('rebuilds from its own entries', () => {
    const index = new CarIndex()
    for (let i = 0; i < 500; i++) {
      const mh = multihash(0x12, Uint8Array.from({ length: 32 }, (_, k) => (i * 31 + k * 7) & 0xff))
      index.add(mh, 0, mh.length, i * 100, i)
    }
    const copy = CarIndex.fromEntries(index.entries())
    expect(hex(encodeIndex(copy))).toBe(hex(encodeIndex(index)))
    expect(copy.locate(index.keyOf(77))).toEqual({ offset: 7700, size: 77 })
  })
})

describe('encodeIndex / decodeIndex', () => {
  it('0x0401 round-trips any index: codes ascending, widths ascending, digests sorted, offsets exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 300 }), async (entries) => {
        const index = new CarIndex()
        for (const e of entries) {
          const mh = multihash(e.code, e.digest)
          index.add(mh, 0, mh.length, e.offset, -1)
        }
        const bytes = encodeIndex(index, 0x0401)
        expect(hex(bytes.subarray(0, 2))).toBe('8108')
        const { codec, index: back } = await decodeIndex(bytes)
        expect(codec).toBe(0x0401)
        expect(back.count).toBe(entries.length)
        expect(hex(encodeIndex(back, 0x0401))).toBe(hex(bytes))
        const want = entries.map((e) => `${hex(multihash(e.code, e.digest))}@${e.offset}`).sort()
        expect([...back.entries()].map((e) => `${hex(e.multihash)}@${e.offset}`).sort()).toEqual(want)
        // The walk sees entries in go-car's order.
        const seen: Array<[number, number, string]> = []
        await walkIndex(bytesSource(bytes), (code, buf, start, len) => void seen.push([code, len, hex(buf.subarray(start, start + len))]))
        const sorted = [...seen].sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
        expect(seen).toEqual(sorted)
      }),
      { numRuns: 40 },
    )
  })

  it('encodes the same bytes as a plain comparison sort: digests tied on their first bytes, duplicates in insertion order', () => {
    // Digests drawn from a tiny alphabet share prefixes longer than the radix key, and repeat.
    const tied = fc.record({
      code: fc.constantFrom(0x12, 0xb220, 0x00),
      digest: fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 3, min: 0, max: 2 }),
        fc.uint8Array({ minLength: 5, maxLength: 6, min: 0, max: 1 }),
        fc.tuple(fc.nat(3), fc.nat(3)).map(([a, b]) => Uint8Array.from({ length: 32 }, (_, k) => (k === 31 ? b : k === 9 ? a : 5))),
      ),
      offset: fc.oneof(fc.nat(1 << 30), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    })
    fc.assert(
      fc.property(fc.array(tied, { maxLength: 400 }), fc.constantFrom(0x0400, 0x0401), (entries, codec) => {
        const index = new CarIndex()
        for (const e of entries) {
          const mh = multihash(e.code, e.digest)
          index.add(mh, 0, mh.length, e.offset, -1)
        }
        expect(hex(encodeIndex(index, codec))).toBe(hex(referenceEncode(entries, codec)))
      }),
      { numRuns: 60 },
    )
  })

  it('0x0400 keys digests only: one bucket per width whatever the hash function', async () => {
    const index = new CarIndex()
    const d = new Uint8Array(32).fill(7)
    for (const [code, off] of [[0x12, 5], [0xb220, 9]]) {
      const mh = multihash(code, d)
      index.add(mh, 0, mh.length, off, -1)
    }
    const bytes = encodeIndex(index, 0x0400)
    expect(hex(bytes.subarray(0, 18))).toBe('8008' + '01000000' + '28000000' + '5000000000000000')
    const { index: back } = await decodeIndex(bytes)
    expect(back.keyedBy).toBe('digest')
    expect(back.locate(multihash(0x12, d))?.offset).toBe(5)
    expect(back.locate(multihash(0x16, d), 1)?.offset).toBe(9)
    expectThrowsCode(() => encodeIndex(back, 0x0401), 'E_CAR_INDEX_NOT_ITERABLE')
  })

  it('rejects broken index bytes with typed errors', async () => {
    const good = (() => {
      const index = new CarIndex()
      for (let i = 0; i < 3; i++) {
        const mh = multihash(0x12, new Uint8Array(32).fill(i + 1))
        index.add(mh, 0, mh.length, i * 40, -1)
      }
      return encodeIndex(index)
    })()
    const patch = (at: number, bytes: number[]) => {
      const b = good.slice()
      b.set(bytes, at)
      return b
    }
    await expectCode(decodeIndex(new Uint8Array(0)), 'E_CAR_TRUNCATED')
    await expectCode(decodeIndex(Uint8Array.of(0x82, 0x08, 0, 0, 0, 0)), 'E_CAR_UNKNOWN_INDEX_CODEC')
    await expectCode(decodeIndex(good.subarray(0, good.length - 1)), 'E_CAR_TRUNCATED')
    await expectCode(decodeIndex(Uint8Array.from([...good, 0])), 'E_CAR_BAD_INDEX')
    await expectCode(decodeIndex(patch(2, [0xff, 0xff, 0xff, 0xff])), 'E_CAR_BAD_INDEX') // negative code count
    await expectCode(decodeIndex(patch(2, [0xff, 0xff, 0xff, 0x7f])), 'E_CAR_TRUNCATED') // count overflowing the bytes
    await expectCode(decodeIndex(patch(18, [4, 0, 0, 0])), 'E_CAR_BAD_INDEX') // width < 8
    await expectCode(decodeIndex(patch(22, [0x79])), 'E_CAR_BAD_INDEX') // length not a multiple of the width
    await expectCode(decodeIndex(patch(30, [9])), 'E_CAR_BAD_INDEX') // first digest now sorts after the second
    await expectCode(decodeIndex(patch(30 + 32, [0, 0, 0, 0, 0, 0, 0, 0x80])), 'E_CAR_BAD_INDEX') // offset ≥ 2^53
  })

  it('random mutations of a valid index only ever raise typed errors', async () => {
    const index = new CarIndex()
    for (let i = 0; i < 20; i++) {
      const mh = multihash(i % 2 ? 0x12 : 0xb220, new Uint8Array(i % 3 === 0 ? 20 : 32).fill(i))
      index.add(mh, 0, mh.length, i * 50, -1)
    }
    const good = encodeIndex(index)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 }), fc.nat(good.length), async (edits, cut) => {
        const b = good.slice(0, Math.max(cut, 1))
        for (const [at, v] of edits) if (at < b.length) b[at] = v
        try {
          await decodeIndex(b)
        } catch (err) {
          expect(err).toBeInstanceOf(StoreError)
        }
      }),
      { numRuns: 300 },
    )
  })
})

/** The index codecs written the obvious way: group, sort by (digest, insertion order), lay out. */
function referenceEncode(entries: Array<{ code: number; digest: Uint8Array; offset: number }>, codec: number): Uint8Array {
  const groups = new Map<string, { code: number; width: number; items: Array<{ digest: Uint8Array; offset: number; i: number }> }>()
  entries.forEach((e, i) => {
    const code = codec === 0x0401 ? e.code : -1
    const width = e.digest.length + 8
    const key = `${code}:${width}`
    if (!groups.has(key)) groups.set(key, { code, width, items: [] })
    groups.get(key)!.items.push({ digest: e.digest, offset: e.offset, i })
  })
  const sorted = [...groups.values()].sort((a, b) => a.code - b.code || a.width - b.width)
  const out: number[] = codec === 0x0401 ? [0x81, 0x08] : [0x80, 0x08]
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff)
  const u64 = (v: number) => {
    u32(v % 0x100000000)
    u32(Math.floor(v / 0x100000000))
  }
  const buckets = (list: typeof sorted) => {
    u32(list.length)
    for (const g of list) {
      u32(g.width)
      u64(g.items.length * g.width)
      g.items.sort((a, b) => Buffer.compare(Buffer.from(a.digest), Buffer.from(b.digest)) || a.i - b.i)
      for (const it of g.items) {
        out.push(...it.digest)
        u64(it.offset)
      }
    }
  }
  if (codec === 0x0400) buckets(sorted)
  else {
    const codes = [...new Set(sorted.map((g) => g.code))]
    u32(codes.length)
    for (const code of codes) {
      u64(code)
      buckets(sorted.filter((g) => g.code === code))
    }
  }
  return Uint8Array.from(out)
}
