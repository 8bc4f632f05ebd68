/**
 * The imports service on a real node in this process: Lotus's Client* import methods and their shapes over
 * HTTP JSON-RPC, typed errors with the table's codes, and at the next start the clean-up of an interrupted
 * import and the sanity check with Lotus's lines (one ref-CAR deleted, one truncated).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../../../src/node/client/index.ts'
import { startNode, type RunningNode } from '../../../src/node/node.ts'
import { initRepo } from '../../../src/node/repo/repo.ts'

interface LotusImport {
  Key: number
  Err: string
  Root: { '/': string } | null
  Source: string
  FilePath: string
  CARPath: string
  Status: string
}

function data(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 22695477 + 1) >>> 0
    out[i] = x >>> 24
  }
  return out
}

describe('the imports service', () => {
  let tmp: string
  let root: string
  let node: RunningNode
  let api: ApiClient
  let lines: string[] = []

  const start = async () => {
    lines = []
    node = await startNode({ root, listen: '127.0.0.1:0', logWrite: (l) => lines.push(l) })
    api = new ApiClient({ url: node.url, multiaddr: node.multiaddr, token: readFileSync(join(root, 'token'), 'utf8').trim() })
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'petal-imports-svc-'))
    root = join(tmp, 'node')
    initRepo(root)
    await start()
  })
  afterAll(async () => {
    await node?.stop()
    rmSync(tmp, { recursive: true, force: true })
  })

  it("imports, lists, finds and exports with Lotus's shapes", async () => {
    const file = join(tmp, 'a.bin')
    writeFileSync(file, data(1_200_000, 1))
    const res = await api.call<{ Root: { '/': string }; ImportID: number }>('Filecoin.ClientImport', [{ Path: file, IsCAR: false }])
    expect(res).toEqual({ Root: { '/': expect.stringMatching(/^bafybei/) }, ImportID: expect.any(Number) })
    const list = await api.call<LotusImport[]>('Filecoin.ClientListImports')
    expect(list.find((i) => i.Key === res.ImportID)).toEqual(
      expect.objectContaining({ Err: '', Root: res.Root, Source: 'import', FilePath: file, CARPath: join(root, 'imports', `${res.ImportID}.car`), Status: 'ok' }),
    )
    expect(await api.call('Filecoin.ClientHasLocal', [res.Root])).toBe(true)
    expect(await api.call('Filecoin.ClientHasLocal', [{ '/': 'bafkqaaa' }])).toBe(false)

    const car = join(tmp, 'a.car')
    expect(await api.call('Filecoin.ClientExport', [{ Root: res.Root, DAGs: null, FromLocalCAR: '', DealID: 0 }, { Path: car, IsCAR: true }])).toBeNull()
    const out = join(tmp, 'a.out')
    // FromLocalCAR: Lotus's way to export from a CAR file rather than an import.
    expect(await api.call('Filecoin.ClientExport', [{ Root: res.Root, FromLocalCAR: car }, { Path: out, IsCAR: false }])).toBeNull()
    expect(readFileSync(out).equals(readFileSync(file))).toBe(true)

    const fromCar = await api.call<{ Root: { '/': string }; ImportID: number }>('Filecoin.ClientImport', [{ Path: car, IsCAR: true }])
    expect(fromCar.Root).toEqual(res.Root)
    const again = await api.call<LotusImport[]>('Filecoin.ClientListImports')
    expect(again.find((i) => i.Key === fromCar.ImportID)).toMatchObject({ Source: 'import-car', CARPath: car, FilePath: car })
    expect(await api.call('Filecoin.ClientRemoveImport', [fromCar.ImportID])).toBeNull()
    expect(statSync(car).size).toBeGreaterThan(0) // the user's CAR is never deleted
  })

  it('answers bad requests with typed errors and keeps what is stored', async () => {
    const before = await api.call<LotusImport[]>('Filecoin.ClientListImports')
    const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code: string }) => e.code)
    expect(await code(api.call('Filecoin.ClientImport', [{ Path: 'relative/path.bin', IsCAR: false }]))).toBe('E_INVALID_ARGUMENT')
    expect(await code(api.call('Filecoin.ClientImport', [{ Path: join(tmp, 'missing.bin'), IsCAR: false }]))).toBe('E_INVALID_ARGUMENT')
    writeFileSync(join(tmp, 'junk.car'), 'not a car')
    expect(await code(api.call('Filecoin.ClientImport', [{ Path: join(tmp, 'junk.car'), IsCAR: true }]))).toBe('E_IMPORT_BAD_CAR')
    expect(await code(api.call('Filecoin.ClientRemoveImport', [987654]))).toBe('E_IMPORT_NOT_FOUND')
    expect(await code(api.call('Filecoin.ClientExport', [{ Root: { '/': 'bafkqaaa' } }, { Path: join(tmp, 'x'), IsCAR: true }]))).toBe('E_IMPORT_NOT_FOUND')
    const root = before[0].Root!
    expect(await code(api.call('Filecoin.ClientExport', [{ Root: root, DAGs: [{ DataSelector: 'a/b' }] }, { Path: join(tmp, 'x'), IsCAR: true }]))).toBe('E_INVALID_ARGUMENT')
    expect(await code(api.call('Filecoin.ClientExport', [{ Root: root, DealID: 5 }, { Path: join(tmp, 'x'), IsCAR: true }]))).toBe('E_INVALID_ARGUMENT')
    expect(await api.call<LotusImport[]>('Filecoin.ClientListImports')).toEqual(before)
  })

  it('a source changed after the import shows in ClientListImports and fails the export with E_IMPORT_SOURCE_CHANGED', async () => {
    const file = join(tmp, 'changing.bin')
    const bytes = data(1_100_000, 2)
    writeFileSync(file, bytes)
    const res = await api.call<{ Root: { '/': string }; ImportID: number }>('Filecoin.ClientImport', [{ Path: file }])
    bytes[1_050_000] ^= 0x80
    writeFileSync(file, bytes)
    const entry = (await api.call<LotusImport[]>('Filecoin.ClientListImports')).find((i) => i.Key === res.ImportID)!
    // Same size; the mtime may or may not move within the clock's resolution, the bytes are what count.
    expect(['ok', 'source-changed']).toContain(entry.Status)
    const failed = await api.call('Filecoin.ClientExport', [{ Root: res.Root }, { Path: join(tmp, 'changing.out'), IsCAR: false }]).then(
      () => null,
      (e: { code: string }) => e.code,
    )
    expect(failed).toBe('E_IMPORT_SOURCE_CHANGED')
    expect(await api.call('Filecoin.ClientRemoveImport', [res.ImportID])).toBeNull()
  })

  it('at the next start removes an interrupted import and logs the sanity check: one deleted, one truncated ref-CAR', async () => {
    const file = join(tmp, 'sanity.bin')
    writeFileSync(file, data(2_500_000, 3))
    const a = await api.call<{ Root: { '/': string }; ImportID: number }>('Filecoin.ClientImport', [{ Path: file }])
    const b = await api.call<{ Root: { '/': string }; ImportID: number }>('Filecoin.ClientImport', [{ Path: file }])
    const total = (await api.call<LotusImport[]>('Filecoin.ClientListImports')).length
    await node.stop()

    rmSync(join(root, 'imports', `${a.ImportID}.car`))
    const bCar = join(root, 'imports', `${b.ImportID}.car`)
    truncateSync(bCar, statSync(bCar).size - 40)
    // A crash half-way through an import: a row still 'importing' and its partial CAR.
    const { openRepo } = await import('../../../src/node/repo/repo.ts')
    const repo = openRepo(root)
    const id = Number(
      repo.db
        .query(`INSERT INTO imports (source, source_path, source_size, source_mtime_ms, car_path, car_owner, layout, status) VALUES ('import', ?, 1, 1, ?, 'importmgr', 'ipfs-car', 'importing')`)
        .run(file, join(root, 'imports', 'partial.car')).lastInsertRowid,
    )
    repo.db.query('UPDATE imports SET car_path = ? WHERE id = ?').run(join(root, 'imports', `${id}.car`), id)
    writeFileSync(join(root, 'imports', `${id}.car`), 'partial')
    repo.close()

    await start()
    await api.call('Filecoin.Version')
    for (let i = 0; i < 50 && !lines.some((l) => l.includes('sanity check completed')); i++) await new Promise((r) => setTimeout(r, 20))
    expect(readdirSync(join(root, 'imports'))).not.toContain(`${id}.car`)
    const warns = lines.filter((l) => l.includes('import has missing/broken carv2; please reimport'))
    expect(warns.length).toBe(2)
    expect(warns[0]).toContain(a.Root['/'])
    expect(warns[0]).toContain(file)
    expect(warns[1]).toContain(b.Root['/'])
    const done = lines.find((l) => l.includes('sanity check completed'))!
    expect(done).toMatch(/INFO/i)
    expect(done).toContain('"broken":2')
    expect(done).toContain(`"total":${total}`)
    const list = await api.call<LotusImport[]>('Filecoin.ClientListImports')
    expect(list.filter((i) => i.Key === a.ImportID || i.Key === b.ImportID).map((i) => i.Status)).toEqual(['broken-car', 'broken-car'])
    expect(list.some((i) => i.Key === id)).toBe(false)
  })
})
