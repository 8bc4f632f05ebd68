/** The TypeScript BLAKE2b against RFC 7693, node:crypto (where it has blake2b) and go-car's blake2b-256 blocks. */
import { createHash, getHashes } from 'node:crypto'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { blake2b } from '../../../src/store/car/blake2b.ts'
import { DIGESTS, readCarStream } from '../../../src/store/car/index.ts'
import { fixtureBytes } from './helpers.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const text = (s: string) => new TextEncoder().encode(s)

describe('blake2b', () => {
  it('matches RFC 7693 Appendix A (BLAKE2b-512 of "abc") and the empty-input vector', () => {
    expect(hex(blake2b(text('abc'), 64))).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    )
    expect(hex(blake2b(new Uint8Array(0), 64))).toBe(
      '786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce',
    )
    expect(hex(blake2b(text('abc'), 32))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319')
  })

  it('agrees with OpenSSL for every length around the 128-byte block boundary', () => {
    const has256 = (() => {
      try {
        createHash('blake2b256')
        return true
      } catch (err) {
        void err
        return false
      }
    })()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (data) => {
        if (getHashes().includes('blake2b512')) expect(hex(blake2b(data, 64))).toBe(createHash('blake2b512').update(data).digest('hex'))
        if (has256) expect(hex(blake2b(data, 32))).toBe(createHash('blake2b256').update(data).digest('hex'))
      }),
      { numRuns: 200 },
    )
  })

  it('verifies the 1043 blake2b-256 blocks of sample-v1.car, as does the hash petal picked at start-up', async () => {
    const stream = await readCarStream([fixtureBytes('v2/sample-v1.car')])
    let n = 0
    for await (const s of stream.sections()) {
      if (s.cid.multihash.code !== 0xb220) continue
      expect(hex(blake2b(s.bytes, 32))).toBe(hex(s.cid.multihash.digest))
      expect(hex(DIGESTS.get(0xb220)!(s.bytes))).toBe(hex(s.cid.multihash.digest))
      n++
    }
    expect(n).toBe(1043)
  })
})
