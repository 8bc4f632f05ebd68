/** Argument definitions shared by many commands, so flags read the same everywhere. */
import type { ArgsDef } from 'citty'

/** `--repo <path>`: the node's repo; defaults to $PETAL_PATH, then ~/.petal. */
export const repoArgs = {
  repo: { type: 'string', description: 'Repo path (default: $PETAL_PATH or ~/.petal)', valueHint: 'path' },
} as const satisfies ArgsDef

/** `--json`: print machine-readable JSON instead of text. */
export const jsonArgs = {
  json: { type: 'boolean', description: 'Print JSON', default: false },
} as const satisfies ArgsDef
