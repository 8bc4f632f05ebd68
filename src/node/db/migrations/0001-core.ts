import type { Migration } from '../types.ts'

/** Node-wide key/value facts (node id, repo creation time). */
export const m0001: Migration = {
  version: 1,
  name: 'core',
  up: `
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
    INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
    INSERT INTO meta (key, value) VALUES ('node_id', lower(hex(randomblob(16))));
  `,
}
