/**
 * The dagstore's tables. The node applies this SQL as one schema migration; the store only reads and
 * writes rows. Index rows carry their shard's id and die with it, so destroying a shard leaves no
 * orphaned lookup entries (go-dagstore never prunes its inverted index).
 */
export const DAGSTORE_SCHEMA = `
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
`
