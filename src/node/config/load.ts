/** Loads config.toml against the schema; every problem names the file, the section and the key. */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.ts'
import { parseToml } from '../runtime/index.ts'
import { CONFIG_SCHEMA, type Config, type KeySpec } from './schema.ts'
import { convertValue } from './values.ts'

/** The config with every default applied. */
export function defaultConfig(): Config {
  return fromObject({}, '<defaults>')
}

/** Reads and checks `path`. */
export function loadConfig(path: string): Config {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new ConfigError(`cannot read config ${path}`, { cause })
  }
  return parseConfig(text, path)
}

/** Checks TOML text; `file` is used in error messages. */
export function parseConfig(text: string, file: string): Config {
  let raw: Record<string, unknown>
  try {
    raw = parseToml(text)
  } catch (cause) {
    throw new ConfigError(`${file}: not valid TOML: ${(cause as Error).message}`, { cause })
  }
  return fromObject(raw, file)
}

/** Applies defaults and checks a parsed TOML document. */
export function fromObject(raw: Record<string, unknown>, file: string): Config {
  const out: Record<string, Record<string, unknown>> = {}
  for (const name of Object.keys(raw)) {
    if (!(name in CONFIG_SCHEMA)) {
      throw new ConfigError(`${file}: unknown section [${name}] (known: ${Object.keys(CONFIG_SCHEMA).join(', ')})`)
    }
  }
  for (const [name, spec] of Object.entries(CONFIG_SCHEMA)) {
    const given = raw[name] ?? {}
    if (typeof given !== 'object' || Array.isArray(given)) throw new ConfigError(`${file}: [${name}] must be a table`)
    const keys = spec.keys as Record<string, KeySpec>
    for (const key of Object.keys(given)) {
      if (!(key in keys)) throw new ConfigError(`${file}: unknown key '${key}' in [${name}] (known: ${Object.keys(keys).join(', ')})`)
    }
    const section: Record<string, unknown> = {}
    for (const [key, k] of Object.entries(keys)) {
      const value = (given as Record<string, unknown>)[key] ?? k.default
      const converted = convertValue(k, value)
      if ('error' in converted) throw new ConfigError(`${file}: [${name}] ${key}: ${converted.error}`)
      section[key] = converted.value
    }
    out[name] = section
  }
  return out as Config
}
