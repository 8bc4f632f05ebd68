import type { Migration } from '../types.ts'

/**
 * Client imports: one row per import (its ref-CARv2 or the user's CAR, the source as it was at import time)
 * and, for directory imports, one row per file.
 */
export const m0003: Migration = {
  version: 3,
  name: 'imports',
  up: `
    CREATE TABLE imports (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      root TEXT,
      source TEXT NOT NULL,
      source_path TEXT NOT NULL,
      source_size INTEGER NOT NULL,
      source_mtime_ms INTEGER NOT NULL,
      car_path TEXT NOT NULL,
      index_path TEXT,
      car_owner TEXT NOT NULL,
      layout TEXT,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      status TEXT NOT NULL
    ) STRICT;
    CREATE INDEX imports_root ON imports (root);
    CREATE TABLE import_files (
      import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      path TEXT NOT NULL,
      size INTEGER NOT NULL,
      mtime_ms INTEGER NOT NULL,
      PRIMARY KEY (import_id, name)
    ) STRICT;
  `,
}
