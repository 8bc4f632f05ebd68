/**
 * The dagstore's tables as the newest migration leaves them (the node builds them through migrations
 * 0002 and 0004; tests and benchmarks create them from this text). The store only reads and writes rows.
 * Index rows carry their shard's id and die with it, so destroying a shard leaves no orphaned lookup
 * entries (go-dagstore never prunes its inverted index).
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

-- A shard's entries in payload order, a few dozen per row (index-page.ts); removal and export walk them.
CREATE TABLE dagstore_pages (
  id INTEGER PRIMARY KEY,
  shard_id INTEGER NOT NULL,
  first_offset INTEGER NOT NULL,
  entries BLOB NOT NULL
) STRICT;
CREATE UNIQUE INDEX dagstore_pages_by_shard ON dagstore_pages (shard_id, first_offset);

-- One row per indexed block: which shards hold a block, and which of their pages lists it, in integers.
CREATE TABLE dagstore_index (
  key INTEGER NOT NULL,
  shard_id INTEGER NOT NULL,
  page_id INTEGER NOT NULL,
  PRIMARY KEY (key, shard_id, page_id)
) STRICT, WITHOUT ROWID;
`
