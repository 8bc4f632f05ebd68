/**
 * The slice of a SQLite connection the store layer uses. `src/node/runtime` hands in a bun:sqlite
 * `Database`; the store never imports a driver itself, so it stays runtime-neutral and testable.
 */
export type SqlValue = string | number | bigint | boolean | null | Uint8Array

/** A prepared statement; positional `?` parameters or named `$name` parameters in one object. */
export interface SqlStatement<Row = Record<string, unknown>> {
  all(...params: unknown[]): Row[]
  get(...params: unknown[]): Row | null
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint }
  values(...params: unknown[]): unknown[][]
}

/** A SQLite connection: cached statements, raw exec, and transactions that roll back on throw. */
export interface SqlDatabase {
  /** A cached prepared statement (compiled once per connection). */
  query<Row = Record<string, unknown>>(sql: string): SqlStatement<Row>
  /** Runs one or more statements with no result. */
  exec(sql: string): void
  /** Wraps `fn` in BEGIN/COMMIT; a throw rolls back. Nested calls become savepoints. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R
}
