/** Creating and opening a repo: config, keystore, database and folders in one place on disk. */
import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs'
import { renderDefaultConfig } from '../config/render.ts'
import { loadConfig } from '../config/load.ts'
import type { Config } from '../config/schema.ts'
import { migrateDatabase } from '../db/migrate.ts'
import { RepoExistsError, RepoNotFoundError } from '../errors.ts'
import { openSqlite, type SqliteDatabase } from '../runtime/index.ts'
import { createJwtSecret, readJwtSecret } from './keystore.ts'
import { REPO_DIRS, repoPaths, type RepoPaths } from './paths.ts'

/** Whether `root` holds an initialized repo (its config file is the marker, as in Lotus). */
export function repoExists(root: string): boolean {
  return existsSync(repoPaths(root).config)
}

/** Creates a repo: folders, the commented default config, a keystore with a fresh JWT secret, the database. */
export function initRepo(root: string): RepoPaths {
  const paths = repoPaths(root)
  if (repoExists(root)) throw new RepoExistsError(root)
  mkdirSync(root, { recursive: true, mode: 0o755 })
  for (const dir of REPO_DIRS) mkdirSync(paths[dir], { recursive: true, mode: dir === 'keystore' ? 0o700 : 0o755 })
  if (!existsSync(paths.jwtSecret)) createJwtSecret(paths.jwtSecret)
  const db = openSqlite(paths.db)
  try {
    migrateDatabase(db)
  } finally {
    db.close()
  }
  // The config file goes last: it marks the repo as initialized, so a crash above leaves a repo init can redo.
  writeFileAtomic(paths.config, renderDefaultConfig())
  return paths
}

/** An open repo: paths, loaded config, secret, and the migrated database. */
export interface Repo {
  paths: RepoPaths
  config: Config
  jwtSecret: Uint8Array
  db: SqliteDatabase
  close(): void
}

/** Opens an existing repo and brings its database up to date. */
export function openRepo(root: string): Repo {
  const paths = repoPaths(root)
  if (!repoExists(root)) throw new RepoNotFoundError(root)
  const config = loadConfig(paths.config)
  const jwtSecret = readJwtSecret(paths.jwtSecret)
  for (const dir of REPO_DIRS) mkdirSync(paths[dir], { recursive: true })
  const db = openSqlite(paths.db)
  try {
    migrateDatabase(db)
  } catch (err) {
    db.close()
    throw err
  }
  return { paths, config, jwtSecret, db, close: () => db.close() }
}

/** Writes via a temp file and rename, so readers never see half a file. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, data, { mode })
  renameSync(tmp, path)
}
