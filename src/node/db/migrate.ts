/** Applies schema migrations, each in its own transaction, and records them in `schema_migrations`. */
import type { SqlDatabase } from '../../store/sql.ts'
import { DatabaseTooNewError, MigrationError } from '../errors.ts'
import { MIGRATIONS } from './migrations/index.ts'
import type { Migration } from './types.ts'

/** The highest version `db` has applied (0 for a new database). */
export function schemaVersion(db: SqlDatabase): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`)
  const row = db.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get()
  return row?.v ?? 0
}

/** Brings `db` up to the newest migration; returns the versions applied now. */
export function migrateDatabase(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkOrder(migrations)
  const current = schemaVersion(db)
  const known = migrations.at(-1)?.version ?? 0
  if (current > known) throw new DatabaseTooNewError(current, known)
  const applied: number[] = []
  for (const m of migrations) {
    if (m.version <= current) continue
    try {
      db.transaction(() => {
        if (typeof m.up === 'string') db.exec(m.up)
        else m.up(db)
        db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString())
      })()
    } catch (cause) {
      throw new MigrationError(m.version, m.name, { cause })
    }
    applied.push(m.version)
  }
  return applied
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new TypeError(`migration list must be dense from 1: found ${m.version} at position ${i + 1}`)
  })
}
