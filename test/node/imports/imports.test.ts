/**
 * Client imports end to end over a real repo: root CIDs equal `ipfs-car pack --no-wrap` (the reference CLI,
 * run with Node), the ref-CAR holds no leaf data, export round-trips byte for byte (and `ipfs-car unpack`
 * reads the CAR), a changed or missing source is a typed error and a status, drops are crash-safe, and the
 * start-up sanity check logs Lotus's lines.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImportManager, readUnixfsFile } from '../../../src/node/imports/index.ts'
import { logs } from '../../../src/node/log/index.ts'
import { initRepo, openRepo, type Repo } from '../../../src/node/repo/repo.ts'
import { openReadOnly } from '../../../src/store/blockstore/index.ts'
import { FileDagBuilder, LOTUS_LAYOUT } from '../../../src/store/unixfs/index.ts'

const IPFS_CAR = new URL('../../../node_modules/ipfs-car/bin.js', import.meta.url).pathname
const CHUNK = 1 << 20

function ipfsCarRoot(cwd: string, file: string): string {
  return execFileSync('node', [IPFS_CAR, 'pack', file, '--no-wrap', '--output', join(cwd, 'ref.car')], { cwd, encoding: 'utf8' }).trim()
}

function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const c of it) parts.push(c)
  return Buffer.concat(parts)
}

describe('client imports', () => {
  let dir: string
  let repo: Repo
  let imports: ImportManager

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'petal-imports-'))
    initRepo(join(dir, 'repo'))
    repo = openRepo(join(dir, 'repo'))
    imports = new ImportManager(repo.db, repo.paths.imports)
  })
  afterAll(() => {
    repo.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['chunk - 1', CHUNK - 1],
    ['one chunk', CHUNK],
    ['chunk + 1', CHUNK + 1],
    ['random size', 2 * CHUNK + 12345],
    ['hashed on two threads', 9 * CHUNK + 3],
  ])('%s: root equals ipfs-car pack, and the ref-CAR holds no leaf data', async (name, size) => {
    const file = join(dir, `${name.replace(/\W/g, '-')}.bin`)
    writeFileSync(file, pattern(size, size + 7))
    const rec = await imports.importPath(file)
    expect(rec.root).toBe(ipfsCarRoot(dir, file))
    // A reference (~150 bytes) per leaf and one branch: far below one leaf of data.
    expect(statSync(rec.carPath).size).toBeLessThan(1024 + 200 * Math.max(1, Math.ceil(size / CHUNK)))
    const reader = await imports.open(rec)
    try {
      expect(Buffer.compare(await collect(readUnixfsFile(reader, CID.parse(rec.root!))), Buffer.from(readFileSync(file)))).toBe(0)
    } finally {
      await reader.close()
    }
  })

  it('the lotus layout gives the same root on two threads as the builder on one', async () => {
    const file = join(dir, 'lotus-two-threads.bin')
    const data = pattern(9 * CHUNK + 77, 17)
    writeFileSync(file, data)
    const rec = await imports.importPath(file, { layout: 'lotus' })
    const builder = new FileDagBuilder(LOTUS_LAYOUT)
    for (let o = 0; o < data.length; o += CHUNK) builder.write(data.subarray(o, o + CHUNK))
    expect(rec.root).toBe(builder.close().cid.toString())
    expect(rec.root).toMatch(/^bafykbzace/)
  })

  it('a two-leaf file in the lotus layout (its root inlined) imports and exports byte for byte, as a CAR too', async () => {
    const file = join(dir, 'lotus-inline-root.bin')
    writeFileSync(file, pattern(CHUNK + 300, 23))
    const rec = await imports.importPath(file, { layout: 'lotus' })
    expect(CID.parse(rec.root!).multihash.code).toBe(0x00)
    await imports.export(rec, { path: join(dir, 'lotus-inline-root.out'), car: false })
    expect(readFileSync(join(dir, 'lotus-inline-root.out')).equals(readFileSync(file))).toBe(true)
    const car = join(dir, 'lotus-inline-root.car')
    await imports.export(rec, { path: car, car: true })
    const fromCar = await imports.importPath(car, { car: true })
    expect(fromCar.root).toBe(rec.root)
    const reader = await imports.open(fromCar)
    try {
      expect((await collect(readUnixfsFile(reader, CID.parse(rec.root!)))).equals(readFileSync(file))).toBe(true)
    } finally {
      await reader.close()
    }
  })

  it('exports a CARv1 that ipfs-car unpacks to the same bytes, and --out the bytes themselves', async () => {
    const file = join(dir, 'export.bin')
    writeFileSync(file, pattern(3 * CHUNK + 99, 3))
    const rec = await imports.importPath(file)
    const car = join(dir, 'export.car')
    await imports.export(rec, { path: car, car: true })
    const ro = await openReadOnly(car)
    expect((await ro.roots()).map(String)).toEqual([rec.root])
    await ro.close()
    execFileSync('node', [IPFS_CAR, 'unpack', car, '--output', join(dir, 'unpacked.bin')], { cwd: dir })
    expect(readFileSync(join(dir, 'unpacked.bin')).equals(readFileSync(file))).toBe(true)
    await imports.export(rec, { path: join(dir, 'out.bin'), car: false })
    expect(readFileSync(join(dir, 'out.bin')).equals(readFileSync(file))).toBe(true)
  })

  it('imports a directory with the same root as ipfs-car pack and exports the tree', async () => {
    const tree = join(dir, 'tree')
    mkdirSync(join(tree, 'sub'), { recursive: true })
    writeFileSync(join(tree, 'a.txt'), 'a\n')
    writeFileSync(join(tree, 'sub', 'b.bin'), pattern(CHUNK + 5, 9))
    const rec = await imports.importPath(tree)
    const wrapped = execFileSync('node', [IPFS_CAR, 'pack', 'tree', '--output', join(dir, 'tree.car')], { cwd: dir, encoding: 'utf8' }).trim()
    expect(rec.root).toBe(wrapped)
    await imports.export(rec, { path: join(dir, 'tree-out'), car: false })
    expect(readFileSync(join(dir, 'tree-out', 'sub', 'b.bin')).equals(readFileSync(join(tree, 'sub', 'b.bin')))).toBe(true)
  })

  it('a directory import names the file that changed or went missing in its status', async () => {
    const tree = join(dir, 'status-tree')
    mkdirSync(join(tree, 'inner'), { recursive: true })
    writeFileSync(join(tree, 'keep.txt'), 'kept')
    writeFileSync(join(tree, 'inner', 'edit.txt'), 'before')
    const rec = await imports.importPath(tree)
    const status = async () => (await imports.list()).find((i) => i.id === rec.id)!
    expect((await status()).status).toBe('ok')
    writeFileSync(join(tree, 'inner', 'edit.txt'), 'after, and longer')
    expect(await status()).toMatchObject({ status: 'source-changed', error: expect.stringContaining(join(tree, 'inner', 'edit.txt')) })
    rmSync(join(tree, 'inner', 'edit.txt'))
    expect(await status()).toMatchObject({ status: 'source-missing', error: expect.stringContaining(join(tree, 'inner', 'edit.txt')) })
    await expect(imports.export(rec, { path: join(dir, 'status-tree-out'), car: false })).rejects.toMatchObject({ code: 'E_IMPORT_SOURCE_MISSING' })
  })

  it('a changed byte in the source is E_IMPORT_SOURCE_CHANGED on read and status source-changed; a missing one is source-missing', async () => {
    const file = join(dir, 'changing.bin')
    writeFileSync(file, pattern(CHUNK + 10, 5))
    const rec = await imports.importPath(file)
    const bytes = readFileSync(file)
    bytes[CHUNK + 3] ^= 1
    writeFileSync(file, bytes)
    utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1))
    expect((await imports.list()).find((i) => i.id === rec.id)?.status).toBe('source-changed')
    const reader = await imports.open(rec)
    await expect(collect(readUnixfsFile(reader, CID.parse(rec.root!)))).rejects.toMatchObject({ code: 'E_IMPORT_SOURCE_CHANGED', path: file })
    await reader.close()
    rmSync(file)
    expect((await imports.list()).find((i) => i.id === rec.id)?.status).toBe('source-missing')
    const again = await imports.open(rec)
    await expect(collect(readUnixfsFile(again, CID.parse(rec.root!)))).rejects.toMatchObject({ code: 'E_IMPORT_SOURCE_MISSING' })
    await again.close()
  })

  it('--car imports a CARv2 (and a CARv1 with a detached index) as it is; a broken CAR is E_IMPORT_BAD_CAR and leaves nothing', async () => {
    const file = join(dir, 'for-car.bin')
    writeFileSync(file, pattern(CHUNK * 2, 11))
    const rec = await imports.importPath(file)
    const v1 = join(dir, 'v1.car')
    await imports.export(rec, { path: v1, car: true })
    const fromCar = await imports.importPath(v1, { car: true })
    expect(fromCar.root).toBe(rec.root)
    expect(fromCar.indexPath).not.toBeNull()
    const reader = await imports.open(fromCar)
    expect((await collect(readUnixfsFile(reader, CID.parse(rec.root!)))).equals(readFileSync(file))).toBe(true)
    await reader.close()
    const before = (await imports.list()).length
    const broken = join(dir, 'broken.car')
    writeFileSync(broken, readFileSync(v1).subarray(0, 500))
    await expect(imports.importPath(broken, { car: true })).rejects.toMatchObject({ code: 'E_IMPORT_BAD_CAR' })
    expect((await imports.list()).length).toBe(before)
  })

  it('drop removes the row and the CAR; leftovers of a crash are cleaned at the next start', async () => {
    const file = join(dir, 'drop.bin')
    writeFileSync(file, 'drop me, please — long enough to be a real block')
    const rec = await imports.importPath(file)
    imports.remove(rec.id)
    expect(() => imports.get(rec.id)).toThrow(expect.objectContaining({ code: 'E_IMPORT_NOT_FOUND' }))
    expect(() => statSync(rec.carPath)).toThrow()
    // A crash between marking and deleting, and a CAR file whose import never got a row:
    const other = await imports.importPath(file)
    repo.db.query(`UPDATE imports SET status = 'dropping' WHERE id = ?`).run(other.id)
    writeFileSync(join(repo.paths.imports, '999999.car'), 'orphan')
    expect(imports.cleanup()).toEqual({ rows: 1, files: 1 })
    expect(() => statSync(other.carPath)).toThrow()
  })

  it('the sanity check logs a WARN for a deleted and a truncated ref-CAR, then the totals', async () => {
    const a = await imports.importPath(join(dir, 'export.bin'))
    const b = await imports.importPath(join(dir, 'export.bin'))
    rmSync(a.carPath)
    // Cut in the middle: the file is still large and starts like a CAR; its header points past the end.
    truncateSync(b.carPath, Math.floor(statSync(b.carPath).size / 2))
    expect((await imports.list()).filter((i) => i.id === a.id || i.id === b.id).map((i) => i.status)).toEqual(['broken-car', 'broken-car'])
    const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = []
    const remove = logs.addSink((e) => lines.push(e as never))
    try {
      await imports.sanityCheck(logs.logger('importmgr'))
    } finally {
      remove()
    }
    const warns = lines.filter((l) => l.level === 'warn')
    expect(warns.map((w) => [w.msg, w.fields.id])).toEqual([
      ['import has missing/broken carv2; please reimport', a.id],
      ['import has missing/broken carv2; please reimport', b.id],
    ])
    expect(warns.map((w) => w.fields)).toEqual([
      expect.objectContaining({ root: a.root, original: a.sourcePath, source: 'import' }),
      expect.objectContaining({ root: b.root, original: b.sourcePath, source: 'import' }),
    ])
    expect(lines.filter((l) => l.msg === 'import ok').length).toBe((await imports.list()).length - 2)
    const done = lines.find((l) => l.msg === 'sanity check completed')!
    expect(done.level).toBe('info')
    expect(done.fields).toEqual({ broken: 2, total: (await imports.list()).length })
  })

  it('rejects bad inputs with typed errors and stores nothing', async () => {
    const before = repo.db.query('SELECT COUNT(*) AS n FROM imports').get()
    const files = () => readdirSync(repo.paths.imports).sort()
    const had = files()
    await expect(imports.importPath(join(dir, 'no-such-file.bin'))).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' })
    await expect(imports.importPath(join(dir, 'export.bin'), { layout: 'kubo' })).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' })
    await expect(imports.importPath(join(dir, 'export.bin'), { car: true, layout: 'lotus' })).rejects.toMatchObject({ code: 'E_INVALID_ARGUMENT' })
    const notCar = join(dir, 'not-a-car.car')
    writeFileSync(notCar, 'hello, this is not a CAR file at all')
    await expect(imports.importPath(notCar, { car: true })).rejects.toMatchObject({ code: 'E_IMPORT_BAD_CAR' })
    const empty = join(dir, 'empty.car')
    writeFileSync(empty, '')
    await expect(imports.importPath(empty, { car: true })).rejects.toMatchObject({ code: 'E_IMPORT_BAD_CAR' })
    // A CAR whose blocks do not hash to their CIDs.
    const good = await imports.importPath(join(dir, 'export.bin'))
    const v1 = join(dir, 'tampered.car')
    await imports.export(good, { path: v1, car: true })
    const bytes = readFileSync(v1)
    bytes[bytes.length - 5] ^= 0xff
    writeFileSync(v1, bytes)
    await expect(imports.importPath(v1, { car: true })).rejects.toMatchObject({ code: 'E_IMPORT_BAD_CAR' })
    imports.remove(good.id)
    expect(() => imports.remove(good.id)).toThrow(expect.objectContaining({ code: 'E_IMPORT_NOT_FOUND' }))
    expect(() => imports.resolve('bafkqaaa')).toThrow(expect.objectContaining({ code: 'E_IMPORT_NOT_FOUND' }))
    expect(repo.db.query('SELECT COUNT(*) AS n FROM imports').get()).toEqual(before)
    expect(files()).toEqual(had)
  })

  it('an aborted import leaves no row and no file', async () => {
    const file = join(dir, 'abort.bin')
    writeFileSync(file, pattern(3 * CHUNK, 21))
    const had = readdirSync(repo.paths.imports).sort()
    const ac = new AbortController()
    const p = imports.importPath(file, { signal: ac.signal, onProgress: () => ac.abort() })
    await expect(p).rejects.toMatchObject({ code: 'E_ABORTED' })
    expect(readdirSync(repo.paths.imports).sort()).toEqual(had)
    expect((await imports.list()).some((i) => i.sourcePath === file)).toBe(false)
  })
})
