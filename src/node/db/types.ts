/** A schema migration. */
import type { SqlDatabase } from '../../store/sql.ts'

/** One step of the schema; versions are dense and increasing, and a published one never changes. */
export interface Migration {
  version: number
  name: string
  /** SQL text, or a function for steps that need data work. Runs inside one transaction. */
  up: string | ((db: SqlDatabase) => void)
}
