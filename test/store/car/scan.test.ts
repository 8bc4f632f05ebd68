/**
 * The random-access section scanner against the streaming reader on CARs whose sections straddle the scan
 * window in every way (varint, CID or block bytes across the boundary; sections larger than the window).
 */
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesSource, cidParts, encodeCar, readCarLayout, readCarStream, scanSections } from '../../../src/store/car/index.ts'
import { collect, makeBlock, pseudoRandomBytes } from './helpers.ts'

async function carBytes(sizes: number[]): Promise<Uint8Array> {
  const blocks = await Promise.all(sizes.map((n, i) => makeBlock(pseudoRandomBytes(n, i + 1), i % 3 === 0 ? 'blake2b-256' : 'sha2-256')))
  const parts = await collect(encodeCar([blocks[0].cid], blocks))
  return Buffer.concat(parts)
}

describe('scanSections', () => {
  it('finds the same sections as the stream, with and without block bytes, wherever the window cuts', async () => {
    const window = 256 << 10
    const size = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: window - 300, max: window + 300 }), fc.integer({ min: 1000, max: 600_000 }))
    await fc.assert(
      fc.asyncProperty(fc.array(size, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 120 }), async (sizes, lead) => {
        // A leading block of `lead` bytes shifts every later boundary by a little.
        const car = await carBytes([lead, ...sizes])
        const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
        const expected = (await collect((await readCarStream([car])).blocks())).map((b) => [b.offset, b.length, b.blockLength, hex(b.cid.bytes), hex(b.bytes)])
        const layout = await readCarLayout(bytesSource(car))
        for (const withData of [false, true]) {
          const seen: Array<[number, number, number, string, string]> = []
          await scanSections(
            bytesSource(car),
            layout,
            (s) => {
              const cidEnd = s.at + s.headerLength
              const data = withData ? hex(s.buf.subarray(cidEnd, s.at + s.length)) : ''
              seen.push([s.offset, s.length, s.length - s.headerLength, hex(s.buf.subarray(cidEnd - cidParts.length, cidEnd)), data])
            },
            { withData },
          )
          expect(seen.map((x) => x.slice(0, 4))).toEqual(expected.map((x) => x.slice(0, 4)))
          if (withData) expect(seen.map((x) => x[4])).toEqual(expected.map((x) => x[4]))
        }
      }),
      { numRuns: 25 },
    )
  })
})
