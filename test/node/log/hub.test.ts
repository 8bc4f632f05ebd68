import { describe, expect, it } from 'vitest'
import { formatHuman, formatJson, LogHub, parseLevel, type LogEntry } from '../../../src/node/log/index.ts'

describe('logging', () => {
  it('writes entries at or above each subsystem level, and levels change at runtime', () => {
    const hub = new LogHub()
    const seen: LogEntry[] = []
    hub.addSink((e) => seen.push(e))
    const a = hub.logger('a')
    const b = hub.logger('b')
    a.debug('hidden')
    a.info('shown', { n: 1 })
    hub.setLevel('b', 'error')
    b.warn('hidden')
    b.error('shown')
    hub.setLevel('a', 'debug')
    a.debug('now shown')
    expect(seen.map((e) => `${e.subsystem}:${e.msg}`)).toEqual(['a:shown', 'b:shown', 'a:now shown'])
    expect(seen[0].fields).toEqual({ n: 1 })
  })

  it('lists subsystems and rejects unknown ones and bad levels with typed errors', () => {
    const hub = new LogHub()
    hub.logger('rpc')
    hub.logger('dagstore')
    expect(hub.subsystems()).toEqual(['dagstore', 'rpc'])
    expect(() => hub.setLevel('nope', 'info')).toThrow(expect.objectContaining({ code: 'E_LOG_UNKNOWN_SUBSYSTEM' }))
    expect(() => parseLevel('loud')).toThrow(expect.objectContaining({ code: 'E_LOG_INVALID_LEVEL' }))
    expect(parseLevel('WARNING')).toBe('warn')
  })

  it('streams entries to subscribers from their own level, regardless of sink levels', async () => {
    const hub = new LogHub()
    const log = hub.logger('x')
    const abort = new AbortController()
    const got: string[] = []
    const done = (async () => {
      for await (const e of hub.subscribe('debug', abort.signal)) {
        got.push(e.msg)
        if (got.length === 2) abort.abort()
      }
    })()
    await new Promise((r) => setTimeout(r, 5))
    log.debug('one')
    log.info('two')
    log.info('three')
    await done
    expect(got).toEqual(['one', 'two'])
  })

  it('formats human lines and JSON lines', () => {
    const e: LogEntry = { ts: '2026-01-01T00:00:00.000Z', level: 'warn', subsystem: 'imports', msg: 'import lacks carv2 path', fields: { id: 3, root: 'bafy x' } }
    expect(formatHuman(e)).toBe('2026-01-01T00:00:00.000Z  WARN   imports  import lacks carv2 path  id=3 root="bafy x"')
    expect(JSON.parse(formatJson(e))).toEqual({ ts: e.ts, level: 'warn', subsystem: 'imports', msg: e.msg, id: 3, root: 'bafy x' })
  })
})
