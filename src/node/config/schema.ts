/**
 * Every config key petal knows, with its type, default and documentation. `petal config default` renders
 * this table as the fully commented default config.toml; loading checks a file against it. Later parts add
 * sections here.
 */

/** A key's type. Durations are strings like "30s"; sizes are strings like "16MiB" or plain integers. */
export type KeyType =
  | { kind: 'string' }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'duration' }
  | { kind: 'bytes' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'table'; values: readonly string[] }

/** One documented key. */
export interface KeySpec {
  type: KeyType
  default: string | number | boolean | Record<string, string>
  doc: string
}

/** One `[section]` of config.toml. */
export interface SectionSpec {
  doc: string
  keys: Record<string, KeySpec>
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const

/** The schema: sections in the order they appear in the default file. */
export const CONFIG_SCHEMA = {
  api: {
    doc: 'The HTTP server: JSON-RPC API, gateway, piece retrieval, health and metrics share it.',
    keys: {
      listen: { type: { kind: 'string' }, default: '127.0.0.1:1234', doc: 'Address to listen on, host:port. Port 0 picks a free port.' },
      anonymous_read: {
        type: { kind: 'boolean' },
        default: false,
        doc: "Let callers without a token use 'read' methods. Off by default: every API call needs a token.",
      },
      max_body: { type: { kind: 'bytes' }, default: '16MiB', doc: 'Largest JSON-RPC request body; larger requests get 413.' },
      timeout: { type: { kind: 'duration' }, default: '60s', doc: 'Per-call timeout for JSON-RPC methods (streaming methods are bounded only until their channel opens).' },
      shutdown_grace: { type: { kind: 'duration' }, default: '10s', doc: 'On SIGINT/SIGTERM, how long in-flight requests may finish before they are cut off.' },
    },
  },
  log: {
    doc: 'Logging. Levels: debug, info, warn, error. Change them at runtime with `petal log set-level`.',
    keys: {
      level: { type: { kind: 'enum', values: LEVELS }, default: 'info', doc: 'Level of every subsystem not named in [log.subsystems].' },
      format: {
        type: { kind: 'enum', values: ['auto', 'human', 'json'] },
        default: 'auto',
        doc: "'auto' prints human-readable lines on a terminal and JSON lines otherwise.",
      },
      subsystems: { type: { kind: 'table', values: LEVELS }, default: {}, doc: 'Per-subsystem levels, e.g. { rpc = "debug" }.' },
    },
  },
  proofs: {
    doc: 'Proofs and hashing.',
    keys: {
      native: {
        type: { kind: 'enum', values: ['auto', 'on', 'off'] },
        default: 'auto',
        doc: "The C accelerator: 'auto' uses it when it loads, 'on' fails start-up without it, 'off' runs the TypeScript path. $PETAL_NATIVE overrides.",
      },
    },
  },
  dagstore: {
    doc: 'The dagstore: one indexed shard per deal piece, read by the gateway and piece routes.',
    keys: {
      max_concurrent_index: { type: { kind: 'integer', min: 0 }, default: 5, doc: 'Shards indexed at once; the rest queue (0 = unlimited), as MaxConcurrentIndex in Lotus.' },
    },
  },
  retrieval: {
    doc: 'HTTP retrieval: the trustless gateway (/ipfs/…) and piece bytes (/piece/…), served on the API address.',
    keys: {
      require_token: {
        type: { kind: 'boolean' },
        default: false,
        doc: "Demand an API token with 'read' permission (Authorization: Bearer) on /ipfs and /piece. Off by default: retrieval is public.",
      },
      verify_blocks: {
        type: { kind: 'boolean' },
        default: true,
        doc: "Hash-check every block against its CID before /ipfs sends it (a bad copy is never sent; another shard's copy is tried). Off trusts the shards' bytes, as booster-http does; clients of a trustless gateway check blocks themselves, and CAR responses run about twice as fast.",
      },
    },
  },
} as const satisfies Record<string, SectionSpec>

type ValueOf<K> = K extends { type: infer T }
  ? T extends { kind: 'string' }
    ? string
    : T extends { kind: 'boolean' }
      ? boolean
      : T extends { kind: 'integer' | 'duration' | 'bytes' }
        ? number
        : T extends { kind: 'enum'; values: readonly (infer V)[] }
          ? V
          : T extends { kind: 'table'; values: readonly (infer V)[] }
            ? Record<string, V>
            : never
  : never

/** The loaded config: durations in milliseconds, sizes in bytes. */
export type Config = {
  [S in keyof typeof CONFIG_SCHEMA]: { [K in keyof (typeof CONFIG_SCHEMA)[S]['keys']]: ValueOf<(typeof CONFIG_SCHEMA)[S]['keys'][K]> }
}
