import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createTokenAuthority, permsUpTo } from '../../../src/http/auth/jwt.ts'

const secret = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex')
// Computed with Python's hmac/hashlib (an independent HS256 implementation) for this secret and
// payload {"Allow":["read","write"]}: the same bytes Lotus's go-jwt produces for that token.
const GOLDEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIiwid3JpdGUiXX0.-3HgxZLNv31Cx7HRaiSQqcD2aoC2jaBKKWX-0P01-vI'

describe('API tokens', () => {
  it('signs exactly the token an independent HS256 implementation produces', () => {
    expect(createTokenAuthority(secret).sign(['read', 'write'])).toBe(GOLDEN)
  })

  it('verifies a golden token and returns its permissions', () => {
    expect(createTokenAuthority(secret).verify(GOLDEN)).toEqual(['read', 'write'])
  })

  it('rejects a token signed with another secret', () => {
    const other = createTokenAuthority(Buffer.alloc(32, 7)).sign(['admin'])
    expect(() => createTokenAuthority(secret).verify(other)).toThrow(expect.objectContaining({ code: 'E_AUTH_INVALID_TOKEN' }))
  })

  it('rejects a token whose payload was changed after signing', () => {
    const [h, , s] = GOLDEN.split('.')
    const forged = `${h}.${Buffer.from('{"Allow":["read","write","sign","admin"]}').toString('base64url')}.${s}`
    expect(() => createTokenAuthority(secret).verify(forged)).toThrow(expect.objectContaining({ code: 'E_AUTH_INVALID_TOKEN' }))
  })

  it('rejects alg "none" even with an empty signature', () => {
    const h = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')
    const pl = Buffer.from('{"Allow":["admin"]}').toString('base64url')
    expect(() => createTokenAuthority(secret).verify(`${h}.${pl}.`)).toThrow(expect.objectContaining({ code: 'E_AUTH_INVALID_TOKEN' }))
  })

  it('rejects garbage and malformed parts with a typed error', () => {
    const auth = createTokenAuthority(secret)
    for (const bad of ['', 'abc', 'a.b', 'a.b.c', '!!.??.**']) {
      expect(() => auth.verify(bad)).toThrow(expect.objectContaining({ code: 'E_AUTH_INVALID_TOKEN' }))
    }
  })

  it('ignores permissions it does not know and keeps Lotus order', () => {
    const h = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')
    const pl = Buffer.from('{"Allow":["admin","bogus","read"]}').toString('base64url')
    const sig = createHmac('sha256', secret).update(`${h}.${pl}`).digest('base64url')
    expect(createTokenAuthority(secret).verify(`${h}.${pl}.${sig}`)).toEqual(['read', 'admin'])
  })

  it('grants the permissions up to and including the one asked for, like lotus auth create-token', () => {
    expect(permsUpTo('read')).toEqual(['read'])
    expect(permsUpTo('sign')).toEqual(['read', 'write', 'sign'])
    expect(permsUpTo('admin')).toEqual(['read', 'write', 'sign', 'admin'])
  })

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => createTokenAuthority(Buffer.alloc(16))).toThrow(RangeError)
  })
})
