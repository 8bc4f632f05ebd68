import { CID } from 'multiformats/cid'
import { describe, expect, it } from 'vitest'
import { base32UpperNoPad, decodeReference, encodeReference, referenceCid, referenceKey } from '../../../src/store/imports/filestore-ref.ts'

describe("Lotus's filestore reference blocks", () => {
  it('encodes base32 like RFC 4648 without padding', () => {
    // RFC 4648 §10 test vectors, padding removed.
    const vectors: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']]
    for (const [input, out] of vectors) expect(base32UpperNoPad(new TextEncoder().encode(input))).toBe(out)
  })

  it('keys a leaf by its multihash, as go-filestore does (sha2-256 keys start with CIQ)', () => {
    const leaf = CID.parse('bafkreifqjaxqkujabprwb7q5ktwgse2oi4wqebkogcec7igpw43rtnjoha')
    expect(referenceKey(leaf)).toBe('/filestore/CIQLASBPAVISAC7DMD7B2VHMNEJU4RZNAICU4MEIF6QM7NZXDG2S4OA')
    const ref = referenceCid(leaf)
    expect(ref.code).toBe(0x55)
    expect(ref.multihash.code).toBe(0x12)
  })

  it('round-trips a DataObj with the path stored relative to /', () => {
    const bytes = encodeReference({ path: '/home/u/file.bin', offset: 1048576, size: 1048576 })
    // field 1 "home/u/file.bin", field 2 1048576, field 3 1048576 (protobuf varints)
    expect(Buffer.from(bytes).toString('hex')).toBe('0a0f686f6d652f752f66696c652e62696e1080804018808040')
    expect(decodeReference(bytes)).toEqual({ path: '/home/u/file.bin', offset: 1048576, size: 1048576 })
    expect(decodeReference(encodeReference({ path: '/x', offset: 0, size: 5 }))).toEqual({ path: '/x', offset: 0, size: 5 })
  })

  it('rejects malformed DataObjs with a typed error', () => {
    for (const bad of [Uint8Array.of(0x0a, 0x05, 0x61), Uint8Array.of(0x10, 0x01), Uint8Array.of(0x0f), Uint8Array.of(0x0a, 0x01, 0xff, 0x18, 0x01)]) {
      expect(() => decodeReference(bad)).toThrow(expect.objectContaining({ code: 'E_IMPORT_BAD_REFERENCE' }))
    }
  })
})
