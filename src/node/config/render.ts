/** Renders config as TOML: the commented default file, or an effective config. */
import { CONFIG_SCHEMA, type Config, type KeySpec } from './schema.ts'

const HEADER = `# petal configuration.
# Every key is listed with its documentation and default value; a commented-out line keeps the default.
# Uncomment a line and change it to override. Durations: "500ms", "30s", "5m", "1h". Sizes: "16MiB", 1024.
`

/** The full default config.toml, every key commented out with its default. */
export function renderDefaultConfig(): string {
  let out = HEADER
  for (const [section, spec] of Object.entries(CONFIG_SCHEMA)) {
    out += `\n# ${spec.doc}\n[${section}]\n`
    for (const [key, k] of Object.entries(spec.keys) as Array<[string, KeySpec]>) {
      out += `${k.doc.replace(/^/gm, '# ')}\n# Default: ${tomlValue(k.default)}\n#${key} = ${tomlValue(k.default)}\n\n`
    }
  }
  return out.replace(/\n{3,}/g, '\n\n').replace(/\n+$/, '\n')
}

/** An effective config as plain TOML (durations and sizes in the units the file uses). */
export function renderConfig(config: Config): string {
  let out = ''
  for (const [section, spec] of Object.entries(CONFIG_SCHEMA)) {
    out += `[${section}]\n`
    const values = config[section as keyof Config] as Record<string, unknown>
    for (const [key, k] of Object.entries(spec.keys) as Array<[string, KeySpec]>) {
      out += `${key} = ${tomlValue(toFileUnits(k, values[key]))}\n`
    }
    out += '\n'
  }
  return out.replace(/\n+$/, '\n')
}

function toFileUnits(spec: KeySpec, value: unknown): unknown {
  if (spec.type.kind === 'duration') return formatDuration(value as number)
  return value
}

/** 90000 → "1m30s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  const parts: string[] = []
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${unit}`)
      ms %= size
    }
  }
  return parts.join('')
}

function tomlValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v)
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)} = ${tomlValue(x)}`).join(', ')} }`
  }
  return JSON.stringify(v)
}
