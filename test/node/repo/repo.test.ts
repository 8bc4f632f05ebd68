import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { initRepo, openRepo, REPO_DIRS, repoPaths, resolveRepoPath } from '../../../src/node/repo/index.ts'

const dirs: string[] = []
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'petal-repo-'))
  dirs.push(d)
  return join(d, 'repo')
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('the repo', () => {
  it('creates config, a private keystore, the database and every folder', () => {
    const root = temp()
    const paths = initRepo(root)
    for (const dir of REPO_DIRS) expect(statSync(paths[dir]).isDirectory()).toBe(true)
    expect(statSync(paths.keystore).mode & 0o777).toBe(0o700)
    expect(statSync(paths.jwtSecret).mode & 0o777).toBe(0o600)
    expect(readFileSync(paths.jwtSecret, 'utf8')).toMatch(/^[0-9a-f]{64}$/)
    expect(readFileSync(paths.config, 'utf8')).toContain('[api]')
    expect(existsSync(paths.db)).toBe(true)
  })

  it('refuses to initialize twice and keeps the existing secret', () => {
    const root = temp()
    initRepo(root)
    const secret = readFileSync(repoPaths(root).jwtSecret, 'utf8')
    expect(() => initRepo(root)).toThrow(expect.objectContaining({ code: 'E_REPO_EXISTS' }))
    expect(readFileSync(repoPaths(root).jwtSecret, 'utf8')).toBe(secret)
  })

  it('opens with the config loaded and the database migrated', () => {
    const root = temp()
    initRepo(root)
    const repo = openRepo(root)
    expect(repo.config.api.listen).toBe('127.0.0.1:1234')
    expect(repo.jwtSecret).toHaveLength(32)
    expect(repo.db.query('SELECT COUNT(*) AS n FROM schema_migrations').get()).toMatchObject({ n: expect.any(Number) })
    repo.close()
  })

  it('fails to open a missing repo, a bad config, or a keystore others can read', () => {
    const root = temp()
    expect(() => openRepo(root)).toThrow(expect.objectContaining({ code: 'E_REPO_NOT_FOUND' }))
    initRepo(root)
    const paths = repoPaths(root)
    chmodSync(paths.jwtSecret, 0o644)
    expect(() => openRepo(root)).toThrow(expect.objectContaining({ code: 'E_KEYSTORE' }))
    chmodSync(paths.jwtSecret, 0o600)
    writeFileSync(paths.config, '[api]\nlisten = 1\n')
    expect(() => openRepo(root)).toThrow(expect.objectContaining({ code: 'E_CONFIG_INVALID' }))
  })

  it('resolves the path from the flag, then $PETAL_PATH, then ~/.petal', () => {
    expect(resolveRepoPath('/x/y', { PETAL_PATH: '/a' })).toBe('/x/y')
    expect(resolveRepoPath(undefined, { PETAL_PATH: '/a' })).toBe('/a')
    expect(resolveRepoPath(undefined, {})).toMatch(/\.petal$/)
  })
})
