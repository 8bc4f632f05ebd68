import type { Migration } from '../types.ts'

/**
 * Sealed sectors and the deal pieces inside them: what unsealing a piece needs (the sealing inputs that
 * make the key, and where each piece lies in the sector). Pieces are looked up by their v1 piece CID.
 */
export const m0005: Migration = {
  version: 5,
  name: 'sectors',
  up: `
    CREATE TABLE sectors (
      number INTEGER PRIMARY KEY,
      miner INTEGER NOT NULL,
      proof_type INTEGER NOT NULL,
      ticket BLOB NOT NULL,
      comm_d BLOB NOT NULL,
      comm_r BLOB NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE TABLE sector_pieces (
      sector_number INTEGER NOT NULL REFERENCES sectors (number) ON DELETE CASCADE,
      offset INTEGER NOT NULL,
      size INTEGER NOT NULL,
      piece_cid TEXT NOT NULL,
      PRIMARY KEY (sector_number, offset)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sector_pieces_by_cid ON sector_pieces (piece_cid);
  `,
}
