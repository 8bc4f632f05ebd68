import type { Migration } from '../types.ts'

/**
 * The dagstore's shards (state, mount, data offset, roots) and their block index with its inverted lookup.
 * The SQL is the text this migration was published with (migration 0004 reshapes the index).
 */
export const m0002: Migration = {
  version: 2,
  name: 'dagstore',
  up: `
CREATE TABLE dagstore_shards (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  mount_url TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('ShardStateNew', 'ShardStateInitializing', 'ShardStateAvailable',
    'ShardStateServing', 'ShardStateRecovering', 'ShardStateErrored')),
  error TEXT NOT NULL DEFAULT '',
  lazy INTEGER NOT NULL DEFAULT 0,
  data_offset INTEGER NOT NULL DEFAULT 0,
  entries INTEGER NOT NULL DEFAULT 0,
  roots TEXT NOT NULL DEFAULT '[]',
  registered_at TEXT NOT NULL,
  indexed_at TEXT
) STRICT;

CREATE TABLE dagstore_index (
  shard_id INTEGER NOT NULL,
  multihash BLOB NOT NULL,
  offset INTEGER NOT NULL,
  size INTEGER NOT NULL
) STRICT;

-- Lookups by multihash (which shards hold a block, and where) are answered from this index alone.
CREATE INDEX dagstore_index_by_multihash ON dagstore_index (multihash, shard_id, offset, size);
CREATE INDEX dagstore_index_by_shard ON dagstore_index (shard_id);
`,
}
