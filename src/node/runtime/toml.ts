/** TOML parsing through Bun's built-in parser. */

/** Parses TOML text into plain objects; throws the parser's SyntaxError (with position) on bad input. */
export function parseToml(text: string): Record<string, unknown> {
  return Bun.TOML.parse(text) as Record<string, unknown>
}
