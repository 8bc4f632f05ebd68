/** Opens petal's SQLite database with bun:sqlite: WAL, foreign keys, a busy timeout. */
import { Database } from 'bun:sqlite'
import type { SqlDatabase } from '../../store/sql.ts'

/** A SQLite connection the rest of petal can use, plus close and file-size introspection. */
export interface SqliteDatabase extends SqlDatabase {
  close(): void
  /** Bytes used by the main file and the WAL, for metrics. */
  sizeBytes(): number
}

/** Opens (creating if needed) the database at `path`; `:memory:` for tests. */
export function openSqlite(path: string, options: { busyTimeoutMs?: number; readonly?: boolean } = {}): SqliteDatabase {
  const db = new Database(path, options.readonly ? { readonly: true } : { create: true, strict: true })
  db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
  if (!options.readonly) {
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = NORMAL')
  }
  db.exec('PRAGMA foreign_keys = ON')
  const wrapped = db as unknown as SqliteDatabase
  wrapped.sizeBytes = () => {
    const row = db.query('SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()').get() as { size: number }
    return row.size
  }
  return wrapped
}
