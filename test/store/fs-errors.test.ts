/** Missing files, directories and unwritable places give typed errors naming the path, in the library and on the CLI. */
import { spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterAll, describe, expect, it } from 'vitest'
import { openReadOnly, openReadWrite } from '../../src/store/blockstore/index.ts'
import { openFileSource, readFileChunks, wrapV1File, writeCarFile } from '../../src/store/car/index.ts'
import { FileSystemError } from '../../src/store/errors.ts'
import { createReplacing } from '../../src/store/fs.ts'

const dir = mkdtempSync(join(tmpdir(), 'petal-fs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const missing = join(dir, 'no-such.car')
const root = CID.parse('bafkqaaa')

async function codeOf(fn: () => unknown): Promise<{ code: string; path?: string }> {
  try {
    await fn()
  } catch (err) {
    expect(err).toBeInstanceOf(FileSystemError)
    return { code: (err as FileSystemError).code, path: (err as FileSystemError).path }
  }
  throw new Error('expected an error')
}

describe('file-system errors', () => {
  it('a missing input is E_FILE_NOT_FOUND with its path, everywhere', async () => {
    expect(await codeOf(() => openFileSource(missing))).toEqual({ code: 'E_FILE_NOT_FOUND', path: missing })
    expect(await codeOf(() => openReadOnly(missing))).toEqual({ code: 'E_FILE_NOT_FOUND', path: missing })
    expect(await codeOf(() => wrapV1File(missing, join(dir, 'out.car')))).toEqual({ code: 'E_FILE_NOT_FOUND', path: missing })
    expect(await codeOf(async () => {
      for await (const _ of readFileChunks(missing));
    })).toEqual({ code: 'E_FILE_NOT_FOUND', path: missing })
  })

  it('a directory where a file is expected is E_FILE_IS_DIRECTORY', async () => {
    expect(await codeOf(() => openFileSource(dir))).toEqual({ code: 'E_FILE_IS_DIRECTORY', path: dir })
  })

  it('writing into a missing folder is E_FILE_NOT_FOUND naming the output', async () => {
    const out = join(dir, 'nope', 'out.car')
    expect(await codeOf(() => writeCarFile(out, [root], []))).toEqual({ code: 'E_FILE_NOT_FOUND', path: out })
    expect(await codeOf(() => openReadWrite(out, [root]))).toEqual({ code: 'E_FILE_NOT_FOUND', path: out })
    expect(await codeOf(() => createReplacing(out, 'w'))).toEqual({ code: 'E_FILE_NOT_FOUND', path: out })
    expect(await codeOf(() => openReadWrite(out, [root], { overwrite: true }))).toEqual({ code: 'E_FILE_NOT_FOUND', path: out })
  })

  it('outputs replace a file by a new one (a reader of the old one keeps it), and write through a symlink', async () => {
    const sub = join(dir, 'replace')
    mkdirSync(sub)
    const path = join(sub, 'out.car')
    writeFileSync(path, 'old contents')
    const old = openSync(path, 'r')
    const inode = statSync(path).ino
    await writeCarFile(path, [root], [])
    expect(statSync(path).ino).not.toBe(inode)
    const buf = Buffer.alloc(12)
    readSync(old, buf, 0, 12, 0)
    closeSync(old)
    expect(buf.toString()).toBe('old contents')
    // overwrite: true starts a store again from nothing.
    const rw = await openReadWrite(path, [root])
    await rw.put(CID.parse('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'), new TextEncoder().encode('hello world'))
    await rw.close()
    const again = await openReadWrite(path, [root], { overwrite: true })
    expect(await again.has(CID.parse('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'))).toBe(false)
    await again.close()
    // A symlink stays a symlink; its target gets the bytes.
    const target = join(sub, 'target.bin')
    writeFileSync(target, 'x'.repeat(100))
    const link = join(sub, 'link.car')
    symlinkSync(target, link)
    const fd = createReplacing(link, 'w')
    writeSync(fd, 'new')
    closeSync(fd)
    expect(readFileSync(target, 'utf8')).toBe('new')
  })

  it('the CLI prints one coded line and exits 1', () => {
    const main = new URL('../../src/main.ts', import.meta.url).pathname
    const r = spawnSync(process.execPath, [main, 'car', 'inspect', missing], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(new RegExp(`^petal: E_FILE_NOT_FOUND: ${missing}: no such file`))
  })
})
