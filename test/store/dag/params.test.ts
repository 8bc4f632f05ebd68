import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseDagScope, parseEntityBytes, resolveEntityBytes } from '../../../src/store/dag/index.ts'

describe('dag-scope and entity-bytes', () => {
  it('parses the three scopes and rejects anything else with E_DAG_SCOPE_INVALID', () => {
    expect(['block', 'entity', 'all'].map(parseDagScope)).toEqual(['block', 'entity', 'all'])
    for (const bad of ['', 'ALL', 'entities', 'block ']) expect(() => parseDagScope(bad)).toThrow(expect.objectContaining({ code: 'E_DAG_SCOPE_INVALID' }))
  })

  it('parses from:to with negatives and *', () => {
    expect(parseEntityBytes('0:*')).toEqual({ from: 0, to: '*' })
    expect(parseEntityBytes('-1024:*')).toEqual({ from: -1024, to: '*' })
    expect(parseEntityBytes('499:-1000')).toEqual({ from: 499, to: -1000 })
    expect(parseEntityBytes('512:1023')).toEqual({ from: 512, to: 1023 })
  })

  it('rejects malformed values with E_DAG_ENTITY_BYTES_INVALID', () => {
    for (const bad of ['', '1', '1:2:3', 'a:b', '*:5', '1.5:2', '10:5', ' 1:2', '1:', ':2', '99999999999999999:*', '0x10:*']) {
      expect(() => parseEntityBytes(bad), bad).toThrow(expect.objectContaining({ code: 'E_DAG_ENTITY_BYTES_INVALID' }))
    }
  })

  it('resolves ranges against a size as the spec describes', () => {
    expect(resolveEntityBytes({ from: 0, to: '*' }, 1026)).toEqual({ from: 0, to: 1025 })
    expect(resolveEntityBytes({ from: -5, to: '*' }, 1026)).toEqual({ from: 1021, to: 1025 })
    expect(resolveEntityBytes({ from: -9999, to: -3 }, 1026)).toEqual({ from: 0, to: 1023 })
    expect(resolveEntityBytes({ from: 512, to: -256 }, 1026)).toEqual({ from: 512, to: 770 })
    expect(resolveEntityBytes({ from: 1000, to: 5000 }, 1026)).toEqual({ from: 1000, to: 1025 })
    expect(resolveEntityBytes({ from: 1026, to: '*' }, 1026)).toBeUndefined()
    expect(resolveEntityBytes({ from: 0, to: -1027 }, 1026)).toBeUndefined()
    expect(resolveEntityBytes({ from: 0, to: '*' }, 0)).toBeUndefined()
  })

  it('always resolves to a non-empty span inside the entity or to nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3000, max: 3000 }), fc.oneof(fc.integer({ min: -3000, max: 3000 }), fc.constant('*' as const)), fc.nat(2000), (from, to, size) => {
        const span = resolveEntityBytes({ from, to }, size)
        if (span === undefined) return
        expect(span.from).toBeGreaterThanOrEqual(0)
        expect(span.to).toBeLessThan(size)
        expect(span.from).toBeLessThanOrEqual(span.to)
        // The same bytes a byte-by-byte reading of the spec selects.
        const wantFrom = from < 0 ? Math.max(0, size + from) : from
        const wantTo = to === '*' ? size - 1 : Math.min(size - 1, to < 0 ? size + to : to)
        expect(span).toEqual({ from: wantFrom, to: wantTo })
      }),
    )
  })
})
