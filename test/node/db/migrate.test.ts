import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS, migrateDatabase, schemaVersion, type Migration } from '../../../src/node/db/index.ts'
import { openSqlite } from '../../../src/node/runtime/index.ts'

const dirs: string[] = []
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'petal-db-'))
  dirs.push(dir)
  return join(dir, 'petal.db')
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

const steps: Migration[] = [
  { version: 1, name: 'one', up: 'CREATE TABLE a (x INTEGER)' },
  { version: 2, name: 'two', up: (db) => db.query('INSERT INTO a (x) VALUES (?)').run(42) },
]

describe('migrations', () => {
  it('applies every migration once, in order, on a real SQLite file in WAL mode', () => {
    const path = tempDb()
    const db = openSqlite(path)
    expect(migrateDatabase(db, steps)).toEqual([1, 2])
    expect(migrateDatabase(db, steps)).toEqual([])
    expect(db.query('SELECT x FROM a').all()).toEqual([{ x: 42 }])
    expect(db.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
    expect(db.query('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 })
    db.close()
    const again = openSqlite(path)
    expect(schemaVersion(again)).toBe(2)
    again.close()
  })

  it('rolls a failing migration back whole and leaves the previous version', () => {
    const db = openSqlite(tempDb())
    migrateDatabase(db, steps.slice(0, 1))
    const broken: Migration[] = [...steps.slice(0, 1), { version: 2, name: 'broken', up: 'INSERT INTO a (x) VALUES (1); INSERT INTO missing VALUES (1);' }]
    expect(() => migrateDatabase(db, broken)).toThrow(expect.objectContaining({ code: 'E_DB_MIGRATION' }))
    expect(schemaVersion(db)).toBe(1)
    expect(db.query('SELECT COUNT(*) AS n FROM a').get()).toEqual({ n: 0 })
    db.close()
  })

  it('refuses a database written by a newer petal', () => {
    const db = openSqlite(tempDb())
    migrateDatabase(db, steps)
    expect(() => migrateDatabase(db, steps.slice(0, 1))).toThrow(expect.objectContaining({ code: 'E_DB_TOO_NEW' }))
    db.close()
  })

  it('refuses a migration list with gaps', () => {
    const db = openSqlite(':memory:')
    expect(() => migrateDatabase(db, [steps[1]])).toThrow(TypeError)
    db.close()
  })

  it("applies petal's own migrations to a fresh database", () => {
    const db = openSqlite(':memory:')
    migrateDatabase(db)
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.query<{ value: string }>("SELECT value FROM meta WHERE key = 'node_id'").get()?.value).toMatch(/^[0-9a-f]{32}$/)
    db.close()
  })
})
