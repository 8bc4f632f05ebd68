import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hamtHash, hashBits, murmur3X64128 } from '../../../src/store/dag/murmur3.ts'

// spaolacci/murmur3@539464a7 murmur_test.go: seed, h64_1, h64_2, input (the library go-unixfs hashes names with).
const VECTORS: [number, bigint, bigint, string][] = [
  [0x00, 0x0000000000000000n, 0x0000000000000000n, ''],
  [0x00, 0xcbd8a7b341bd9b02n, 0x5b1e906a48ae1d19n, 'hello'],
  [0x00, 0x342fac623a5ebc8en, 0x4cdcbc079642414dn, 'hello, world'],
  [0x00, 0xb89e5988b737affcn, 0x664fc2950231b2cbn, '19 Jan 2038 at 3:14:07 AM'],
  [0x00, 0xcd99481f9ee902c9n, 0x695da1a38987b6e7n, 'The quick brown fox jumps over the lazy dog.'],
  [0x01, 0x4610abe56eff5cb5n, 0x51622daa78f83583n, ''],
  [0x01, 0xa78ddff5adae8d10n, 0x128900ef20900135n, 'hello'],
  [0x01, 0x8b95f808840725c6n, 0x1597ed5422bd493bn, 'hello, world'],
  [0x01, 0x2a929de9c8f97b2fn, 0x56a41d99af43a2dbn, '19 Jan 2038 at 3:14:07 AM'],
  [0x01, 0xfb3325171f9744dan, 0xaaf8b92a5f722952n, 'The quick brown fox jumps over the lazy dog.'],
  [0x2a, 0xf02aa77dfa1b8523n, 0xd1016610da11cbb9n, ''],
  [0x2a, 0xc4b8b3c960af6f08n, 0x2334b875b0efbc7an, 'hello'],
  [0x2a, 0xb91864d797caa956n, 0xd5d139a55afe6150n, 'hello, world'],
  [0x2a, 0xfd8f19ebdc8c6b6an, 0xd30fdc310fa08ff9n, '19 Jan 2038 at 3:14:07 AM'],
  [0x2a, 0x74f33c659cda5af7n, 0x4ec7a891caf316f0n, 'The quick brown fox jumps over the lazy dog.'],
]

describe('murmur3 x64 128', () => {
  it.each(VECTORS)('matches spaolacci/murmur3 for seed %i', (seed, h1, h2, s) => {
    expect(murmur3X64128(new TextEncoder().encode(s), seed)).toEqual([h1, h2])
  })

  it('hashes every tail length and a subarray view the same as a copy', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(8), (bytes, pad) => {
        const padded = new Uint8Array(bytes.length + pad)
        padded.set(bytes, pad)
        expect(murmur3X64128(padded.subarray(pad))).toEqual(murmur3X64128(bytes))
      }),
    )
  })

  it('takes the HAMT hash as h1 written big-endian, as go-unixfs does', () => {
    expect(Buffer.from(hamtHash(new TextEncoder().encode('hello'))).toString('hex')).toBe('cbd8a7b341bd9b02')
  })

  it('reads hash bits most significant first across byte boundaries', () => {
    const h = new Uint8Array([0xcb, 0xd8, 0xa7])
    expect(hashBits(h, 0, 8)).toBe(0xcb)
    expect(hashBits(h, 8, 8)).toBe(0xd8)
    expect(hashBits(h, 4, 8)).toBe(0xbd)
    expect(hashBits(h, 0, 3)).toBe(0b110)
    expect(hashBits(h, 6, 10)).toBe(0b11_1101_1000)
  })
})
