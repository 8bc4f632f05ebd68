import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Fr32 } from '@web3-storage/data-segment'
import { checkFr32, fr32Pad, fr32PadStream, fr32Unpad, fr32UnpadStream, toPaddedPieceSize } from '../../../src/proofs/index.ts'
import { chunked, codeOf, codeOfAsync, concat, hex } from '../helpers.ts'

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const p of source) parts.push(p)
  return concat(parts)
}

describe('fr32', () => {
  it('pads the bit layout of the spec: element 0 is bytes 0..30 plus 6 bits, the top two bits of each element are zero', () => {
    const quad = new Uint8Array(127).fill(0xff)
    const out = fr32Pad(quad)
    expect(out.length).toBe(128)
    for (const i of [31, 63, 95, 127]) expect(out[i]).toBe(0x3f)
    for (let i = 0; i < 128; i++) if (![31, 63, 95, 127].includes(i)) expect(out[i]).toBe(0xff)
    const one = new Uint8Array(127)
    one[31] = 0x40 // bit 254 of the stream: the first bit of element 1
    expect(hex(fr32Pad(one).subarray(31, 33))).toBe('0001')
  })

  it('pads exactly as data-segment does, for random payloads of whole quads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer(), (quads, seed) => {
        const payload = new Uint8Array(quads * 127)
        for (let i = 0, s = seed; i < payload.length; i++) payload[i] = (s = (Math.imul(s, 1103515245) + 12345) | 0) >>> 24
        // data-segment pads to the whole power-of-two piece; compare the quads both produce.
        expect(hex(fr32Pad(payload))).toBe(hex(Fr32.pad(payload).subarray(0, quads * 128)))
      }),
      { numRuns: 100 },
    )
  })

  it('unpads what it padded, for any bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }).chain((q) => fc.uint8Array({ minLength: q * 127, maxLength: q * 127 })), (payload) => {
        expect(hex(fr32Unpad(fr32Pad(payload)))).toBe(hex(payload))
      }),
    )
  })

  it('writes into a caller-provided buffer and returns a view of the written part', () => {
    const out = new Uint8Array(300)
    const padded = fr32Pad(new Uint8Array(254).fill(7), out)
    expect(padded.length).toBe(256)
    expect(padded.buffer).toBe(out.buffer)
  })

  it('rejects lengths that are not whole quads, short outputs and elements with the top bits set', () => {
    expect(codeOf(() => fr32Pad(new Uint8Array(128)))).toBe('E_FR32_LENGTH')
    expect(codeOf(() => fr32Unpad(new Uint8Array(127)))).toBe('E_FR32_LENGTH')
    expect(codeOf(() => fr32Pad(new Uint8Array(127), new Uint8Array(127)))).toBe('E_FR32_OUTPUT_TOO_SMALL')
    expect(codeOf(() => fr32Unpad(new Uint8Array(128), new Uint8Array(126)))).toBe('E_FR32_OUTPUT_TOO_SMALL')
    const bad = new Uint8Array(256)
    bad[32 * 5 + 31] = 0x80
    expect(codeOf(() => fr32Unpad(bad))).toBe('E_FR32_INVALID')
    expect(codeOf(() => checkFr32(bad))).toBe('E_FR32_INVALID')
  })
})

describe('fr32 streams', () => {
  it('pads a stream in any slicing to the same bytes as the block function, zero-filling the last quad', async () => {
    const payload = new Uint8Array(127 * 9000 + 50)
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) ^ (i >>> 8)
    const whole = new Uint8Array(127 * 9001)
    whole.set(payload)
    const streamed = await collect(fr32PadStream(chunked(payload, 7)))
    expect(streamed.length).toBe(128 * 9001)
    expect(hex(streamed)).toBe(hex(fr32Pad(whole)))
  })

  it('fills an unsealed piece to its padded size and refuses more payload than it holds', async () => {
    const out = await collect(fr32PadStream(chunked(new Uint8Array(300).fill(9)), { pieceSize: toPaddedPieceSize(2048) }))
    expect(out.length).toBe(2048)
    expect(out.subarray(384).every((b) => b === 0)).toBe(true)
    expect(await codeOfAsync(() => collect(fr32PadStream(chunked(new Uint8Array(2033)), { pieceSize: toPaddedPieceSize(2048) })))).toBe('E_FR32_OVERFLOW')
  })

  it('unpads a stream and trims it to the payload size', async () => {
    const payload = new Uint8Array(5000).map((_, i) => i % 253)
    const padded = await collect(fr32PadStream(chunked(payload, 3), { pieceSize: toPaddedPieceSize(8192) }))
    const back = await collect(fr32UnpadStream(chunked(padded, 5), { payloadSize: 5000 }))
    expect(hex(back)).toBe(hex(payload))
    const all = await collect(fr32UnpadStream(chunked(padded, 9)))
    expect(all.length).toBe(8128)
  })

  it('rejects a padded stream that ends mid-quad, and stops when aborted', async () => {
    expect(await codeOfAsync(() => collect(fr32UnpadStream(chunked(new Uint8Array(200)))))).toBe('E_FR32_LENGTH')
    const ac = new AbortController()
    ac.abort()
    await expect(collect(fr32PadStream(chunked(new Uint8Array(1000)), { signal: ac.signal }))).rejects.toThrow()
  })
})
