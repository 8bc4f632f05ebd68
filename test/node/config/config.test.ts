import { describe, expect, it } from 'vitest'
import { CONFIG_SCHEMA, defaultConfig, parseConfig, parseDuration, parseSize, renderConfig, renderDefaultConfig } from '../../../src/node/config/index.ts'

const bad = (text: string) => {
  try {
    parseConfig(text, '/repo/config.toml')
  } catch (err) {
    return err as { code: string; message: string }
  }
  throw new Error('expected an error')
}

describe('config', () => {
  it('documents every key with its default in the default file, and that file parses to the defaults', () => {
    const text = renderDefaultConfig()
    for (const [section, spec] of Object.entries(CONFIG_SCHEMA)) {
      expect(text).toContain(`[${section}]`)
      for (const key of Object.keys(spec.keys)) expect(text).toMatch(new RegExp(`^#${key} = `, 'm'))
    }
    expect(parseConfig(text, 'default')).toEqual(defaultConfig())
  })

  it('round-trips an effective config through its rendering', () => {
    const c = parseConfig('[api]\nlisten = "0.0.0.0:9999"\ntimeout = "1m30s"\nmax_body = "2MiB"\n[log]\nsubsystems = { rpc = "debug" }\n', 'c.toml')
    expect(c.api).toMatchObject({ listen: '0.0.0.0:9999', timeout: 90_000, max_body: 2 * 2 ** 20 })
    expect(c.log.subsystems).toEqual({ rpc: 'debug' })
    expect(parseConfig(renderConfig(c), 'again')).toEqual(c)
  })

  it('names the file, section and key of an unknown key', () => {
    const e = bad('[api]\nlisten = "127.0.0.1:1"\nlistne = "x"\n')
    expect(e.code).toBe('E_CONFIG_INVALID')
    expect(e.message).toContain('/repo/config.toml')
    expect(e.message).toContain("'listne'")
    expect(e.message).toContain('[api]')
  })

  it('names the key of a value with the wrong type', () => {
    expect(bad('[api]\nanonymous_read = "yes"\n').message).toContain('[api] anonymous_read')
    expect(bad('[api]\ntimeout = 5\n').message).toContain('timeout')
    expect(bad('[log]\nlevel = "loud"\n').message).toContain('level')
    expect(bad('[log]\nsubsystems = { rpc = "loud" }\n').message).toContain('rpc')
    expect(bad('[api]\nmax_body = "lots"\n').message).toContain('max_body')
  })

  it('rejects an unknown section and TOML syntax errors', () => {
    expect(bad('[nope]\na = 1\n').message).toContain('[nope]')
    expect(bad('[api\n').code).toBe('E_CONFIG_INVALID')
    expect(bad('api = 3\n').message).toContain('[api] must be a table')
  })

  it('parses durations and sizes', () => {
    expect(parseDuration('500ms')).toBe(500)
    expect(parseDuration('1h2m3s')).toBe(3_723_000)
    expect(parseDuration('0')).toBe(0)
    expect(parseDuration('soon')).toBeNull()
    expect(parseSize('16MiB')).toBe(16 * 2 ** 20)
    expect(parseSize('1.5KiB')).toBe(1536)
    expect(parseSize(4096)).toBe(4096)
    expect(parseSize('3 parsecs')).toBeNull()
    expect(parseSize(-1)).toBeNull()
  })
})
