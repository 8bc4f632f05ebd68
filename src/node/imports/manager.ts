/**
 * The import manager: client imports as ref-CARv2 files under `imports/<id>.car` (or the user's own CAR for
 * `--car`), their records in SQLite, status from the source file's size and mtime, drop, export, cat, and
 * the start-up sanity check with Lotus's log lines. Every write is ordered so that a crash leaves either a
 * row marked `importing`/`dropping` or a stray `<id>.car`, and `cleanup()` (run at every start) removes both.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CID } from 'multiformats/cid'
import { generateIndex, encodeIndex, openFileSource, MULTIHASH_INDEX_SORTED } from '../../store/car/index.ts'
import { writeFileAtomic } from '../repo/repo.ts'
import { DAG_PB, decodePbNode, RAW } from '../../store/dag/codecs.ts'
import type { SqlDatabase } from '../../store/sql.ts'
import { RefCarReader, writeRefCar } from '../../store/imports/ref-car.ts'
import { walkFiles } from '../../store/imports/walk.ts'
import { LAYOUTS } from '../../store/unixfs/layout.ts'
import { InvalidArgumentError } from '../errors.ts'
import type { Logger } from '../log/index.ts'
import { exportCar, exportUnixfs, type ExportResult } from '../retrieve/export.ts'
import { checkCarFile } from './check-car.ts'
import { ImportBadCarError, ImportNotFoundError } from './errors.ts'

/** What `petal client local` reports for an import. */
export type ImportStatus = 'ok' | 'source-changed' | 'source-missing' | 'broken-car' | 'importing'

/** One import as stored. */
export interface ImportRecord {
  id: number
  root: string | null
  /** `import` (a file or directory we chunked) or `car` (the user's CAR, imported as it is). */
  source: 'import' | 'car'
  sourcePath: string
  sourceSize: number
  sourceMtimeMs: number
  carPath: string
  /** Detached index petal wrote for a user's CARv1. */
  indexPath: string | null
  /** `importmgr`: petal created the CAR and deletes it on drop; `user`: never touched. */
  carOwner: 'importmgr' | 'user'
  layout: string | null
  createdAt: string
}

/** A record with its status now. */
export interface ImportInfo extends ImportRecord {
  status: ImportStatus
  /** Why it is not ok. */
  error?: string
}

/** Options of `importPath`. */
export interface ImportOptions {
  /** `ipfs-car` (default) or `lotus`. */
  layout?: string
  /** Import an existing CARv1/CARv2 as it is. */
  car?: boolean
  signal?: AbortSignal
  onProgress?: (bytes: number, total: number) => void
}

interface Row {
  id: number
  root: string | null
  source: string
  source_path: string
  source_size: number
  source_mtime_ms: number
  car_path: string
  index_path: string | null
  car_owner: string
  layout: string | null
  created_at: string
  status: string
}

export class ImportManager {
  constructor(
    readonly db: SqlDatabase,
    /** The repo's imports/ folder. */
    readonly dir: string,
  ) {}

  /** Finishes interrupted drops, removes interrupted imports and CAR files no row owns. Returns what it removed. */
  cleanup(): { rows: number; files: number } {
    let rows = 0
    let files = 0
    for (const row of this.db.query<Row>(`SELECT * FROM imports WHERE status IN ('importing', 'dropping')`).all()) {
      if (row.car_owner === 'importmgr') rmSync(row.car_path, { force: true })
      if (row.index_path) rmSync(row.index_path, { force: true })
      this.db.query('DELETE FROM imports WHERE id = ?').run(row.id)
      rows++
    }
    const owned = new Set(this.db.query<{ p: string }>(`SELECT car_path AS p FROM imports UNION SELECT index_path FROM imports WHERE index_path IS NOT NULL`).all().map((r) => r.p))
    if (existsSync(this.dir)) {
      for (const name of readdirSync(this.dir)) {
        if (!/^\d+\.(car|idx)(\.root-\d+)?$/.test(name)) continue
        const path = join(this.dir, name)
        if (!owned.has(path)) {
          rmSync(path, { force: true })
          files++
        }
      }
    }
    return { rows, files }
  }

  /** Imports a file, a directory, or (with `car`) a CAR file. */
  async importPath(input: string, options: ImportOptions = {}): Promise<ImportRecord> {
    const path = resolve(input)
    let st
    try {
      st = statSync(path)
    } catch (err) {
      throw new InvalidArgumentError(`cannot import ${path}: ${(err as Error).message}`)
    }
    if (options.car && options.layout !== undefined) throw new InvalidArgumentError('--layout applies to files and directories; a CAR is imported as it is')
    if (options.car) return this.#importCar(path, st.size, Math.round(st.mtimeMs))
    const layoutName = options.layout ?? 'ipfs-car'
    const layout = LAYOUTS[layoutName]
    if (!layout) throw new InvalidArgumentError(`unknown layout ${layoutName}; one of ${Object.keys(LAYOUTS).join(', ')}`)
    const files = st.isDirectory() ? await walkFiles(path) : undefined
    // Taken before reading, so a file changed during the import shows as source-changed afterwards.
    const mtimes = files?.map((f) => Math.round(statSync(f.path).mtimeMs))
    const total = files ? files.reduce((n, f) => n + f.size, 0) : st.size
    const id = Number(
      this.db
        .query(`INSERT INTO imports (source, source_path, source_size, source_mtime_ms, car_path, car_owner, layout, status) VALUES ('import', ?, ?, ?, '', 'importmgr', ?, 'importing')`)
        .run(path, total, Math.round(st.mtimeMs), layoutName).lastInsertRowid,
    )
    const carPath = join(this.dir, `${id}.car`)
    this.db.query('UPDATE imports SET car_path = ? WHERE id = ?').run(carPath, id)
    try {
      const result = await writeRefCar(carPath, files ? { kind: 'directory', files } : { kind: 'file', path }, layout, {
        signal: options.signal,
        onProgress: (bytes) => options.onProgress?.(bytes, total),
      })
      this.db.transaction(() => {
        if (files) {
          const put = this.db.query('INSERT INTO import_files (import_id, name, path, size, mtime_ms) VALUES (?, ?, ?, ?, ?)')
          files.forEach((f, i) => put.run(id, f.name, f.path, f.size, mtimes![i]))
        }
        this.db.query(`UPDATE imports SET root = ?, status = 'ok' WHERE id = ?`).run(result.root.toString(), id)
      })()
    } catch (err) {
      rmSync(carPath, { force: true })
      this.db.query('DELETE FROM imports WHERE id = ?').run(id)
      throw err
    }
    return this.get(id)
  }

  async #importCar(path: string, size: number, mtimeMs: number): Promise<ImportRecord> {
    let indexBytes: Uint8Array | undefined
    let roots: CID[]
    let version: number
    // Validate: header, exactly one root, every section readable; a CARv1 gets a detached index.
    const source = openFileSource(path)
    try {
      const { layout, index } = await generateIndex(source)
      roots = layout.roots
      version = layout.version
      if (roots.length !== 1) throw new ImportBadCarError(`${path}: a CAR to import needs exactly one root, it has ${roots.length}`)
      if (version === 1) indexBytes = encodeIndex(index, MULTIHASH_INDEX_SORTED)
    } catch (err) {
      if (err instanceof ImportBadCarError) throw err
      throw new ImportBadCarError(`${path} is not a valid CAR: ${(err as Error).message}`, { cause: err })
    } finally {
      source.close()
    }
    const id = Number(
      this.db
        .query(`INSERT INTO imports (root, source, source_path, source_size, source_mtime_ms, car_path, car_owner, status) VALUES (?, 'car', ?, ?, ?, ?, 'user', 'importing')`)
        .run(roots[0].toString(), path, size, mtimeMs, path).lastInsertRowid,
    )
    try {
      let indexPath: string | null = null
      if (indexBytes) {
        indexPath = join(this.dir, `${id}.idx`)
        writeFileAtomic(indexPath, indexBytes)
      }
      // Reading every block once through the reader checks each hash (the store itself is opened trusted).
      const reader = await RefCarReader.open(path, indexPath ? { indexPath } : {})
      try {
        for await (const cid of reader.store.cids()) await reader.get(cid)
      } finally {
        await reader.close()
      }
      this.db.query(`UPDATE imports SET index_path = ?, status = 'ok' WHERE id = ?`).run(indexPath, id)
    } catch (err) {
      rmSync(join(this.dir, `${id}.idx`), { force: true })
      this.db.query('DELETE FROM imports WHERE id = ?').run(id)
      throw new ImportBadCarError(`${path} is not a valid CAR: ${(err as Error).message}`, { cause: err })
    }
    return this.get(id)
  }

  /** The import with this id. */
  get(id: number): ImportRecord {
    const row = this.db.query<Row>(`SELECT * FROM imports WHERE id = ? AND status = 'ok'`).get(id)
    if (!row) throw new ImportNotFoundError(String(id))
    return toRecord(row)
  }

  /** An import by id or by root CID (the newest with that root). */
  resolve(idOrRoot: string): ImportRecord {
    if (/^\d+$/.test(idOrRoot)) return this.get(Number(idOrRoot))
    const row = this.db.query<Row>(`SELECT * FROM imports WHERE root = ? AND status = 'ok' ORDER BY id DESC LIMIT 1`).get(idOrRoot)
    if (!row) throw new ImportNotFoundError(`with root ${idOrRoot}`)
    return toRecord(row)
  }

  /** Whether some import has `root`. */
  hasRoot(root: string): boolean {
    return this.db.query(`SELECT 1 FROM imports WHERE root = ? AND status = 'ok' LIMIT 1`).get(root) !== null
  }

  /** Every import with its status now, by id. */
  async list(): Promise<ImportInfo[]> {
    const out: ImportInfo[] = []
    for (const row of this.db.query<Row>(`SELECT * FROM imports WHERE status = 'ok' ORDER BY id`).all()) out.push(await this.#withStatus(toRecord(row)))
    return out
  }

  /** One import with its status now. */
  async info(id: number): Promise<ImportInfo> {
    return this.#withStatus(this.get(id))
  }

  async #withStatus(rec: ImportRecord): Promise<ImportInfo> {
    if (!rec.carPath) return { ...rec, status: 'broken-car', error: 'import lacks carv2 path' }
    const bad = await checkCarFile(rec.carPath, rec.carOwner === 'importmgr')
    if (bad) return { ...rec, status: bad.missing && rec.carOwner === 'user' ? 'source-missing' : 'broken-car', error: bad.problem }
    if (rec.source === 'car') {
      const st = statSync(rec.carPath)
      return st.size !== rec.sourceSize || Math.round(st.mtimeMs) !== rec.sourceMtimeMs ? { ...rec, status: 'source-changed', error: `${rec.carPath} changed after the import` } : { ...rec, status: 'ok' }
    }
    const files =
      this.db.query<{ path: string; size: number; mtime_ms: number }>('SELECT path, size, mtime_ms FROM import_files WHERE import_id = ?').all(rec.id)
    const sources = files.length > 0 ? files : [{ path: rec.sourcePath, size: rec.sourceSize, mtime_ms: rec.sourceMtimeMs }]
    for (const f of sources) {
      let st
      try {
        st = statSync(f.path)
      } catch {
        return { ...rec, status: 'source-missing', error: `${f.path} is missing` }
      }
      if (st.size !== f.size || Math.round(st.mtimeMs) !== f.mtime_ms) return { ...rec, status: 'source-changed', error: `${f.path} changed after the import` }
    }
    return { ...rec, status: 'ok' }
  }

  /** The import's blocks: stored nodes, and leaves read from the source and re-hashed. */
  open(rec: ImportRecord): Promise<RefCarReader> {
    return RefCarReader.open(rec.carPath, rec.indexPath ? { indexPath: rec.indexPath } : {})
  }

  /** Removes imports: the row is marked first, then files go, then the row (a crash in between is finished by `cleanup`). */
  remove(id: number): void {
    const rec = this.get(id)
    this.db.query(`UPDATE imports SET status = 'dropping' WHERE id = ?`).run(id)
    if (rec.carOwner === 'importmgr') rmSync(rec.carPath, { force: true })
    if (rec.indexPath) rmSync(rec.indexPath, { force: true })
    this.db.query('DELETE FROM imports WHERE id = ?').run(id)
  }

  /** Writes the import's DAG as a CARv1 (depth-first, root in the header) or as the original file/directory. */
  async export(rec: ImportRecord, target: { path: string; car: boolean }, signal?: AbortSignal): Promise<ExportResult> {
    if (!rec.root) throw new ImportNotFoundError(`${rec.id} (no root)`)
    return exportFrom(await this.open(rec), CID.parse(rec.root), target, signal)
  }

  /** Writes the DAG under `root` in the CAR (or ref-CAR) at `carPath`, as `export` does for an import. */
  async exportFromCar(carPath: string, root: CID, target: { path: string; car: boolean }, signal?: AbortSignal): Promise<ExportResult> {
    return exportFrom(await RefCarReader.open(carPath), root, target, signal)
  }

  /** The import holding `cid` (as its root, else anywhere in its DAG). */
  async findHolder(cid: CID): Promise<ImportRecord> {
    const s = cid.toString()
    if (this.hasRoot(s)) return this.resolve(s)
    for (const rec of await this.list()) {
      const reader = await this.open(rec).catch(() => undefined)
      if (!reader) continue
      try {
        if (await reader.has(cid)) return rec
      } finally {
        await reader.close()
      }
    }
    throw new ImportNotFoundError(`holding ${s}`)
  }

  /** The start-up sanity check, with Lotus's log lines. */
  async sanityCheck(log: Logger): Promise<{ total: number; broken: number }> {
    log.info('sanity checking imports')
    let broken = 0
    const rows = this.db.query<Row>(`SELECT * FROM imports WHERE status = 'ok' ORDER BY id`).all()
    for (const row of rows) {
      const rec = toRecord(row)
      const fields = { id: rec.id, source: rec.source, root: rec.root, original: rec.sourcePath }
      if (!rec.carPath) {
        log.warn('import lacks carv2 path; import will not work; please reimport', fields)
        broken++
        continue
      }
      const bad = await checkCarFile(rec.carPath, rec.carOwner === 'importmgr')
      if (bad) {
        log.warn('import has missing/broken carv2; please reimport', { ...fields, error: bad.problem })
        broken++
      } else {
        log.info('import ok', { ...fields, size: statSync(rec.carPath).size })
      }
    }
    log.info('sanity check completed', { broken, total: rows.length })
    return { total: rows.length, broken }
  }
}

/** Exports `root` from `reader` and closes it. */
async function exportFrom(reader: RefCarReader, root: CID, target: { path: string; car: boolean }, signal?: AbortSignal): Promise<ExportResult> {
  try {
    return target.car ? await exportCar(reader, root, resolve(target.path), { signal }) : await exportUnixfs(reader, root, resolve(target.path), { signal })
  } finally {
    await reader.close()
  }
}

/** The bytes of the UnixFS file `cid`, in order, from `blocks`. */
export async function* readUnixfsFile(blocks: { get(cid: CID): Promise<Uint8Array | undefined> }, cid: CID): AsyncGenerator<Uint8Array> {
  const bytes = await blocks.get(cid)
  if (bytes === undefined) throw new ImportNotFoundError(`block ${cid}`)
  if (cid.code === RAW) {
    yield bytes
    return
  }
  if (cid.code !== DAG_PB) throw new InvalidArgumentError(`${cid} is not a UnixFS file`)
  const node = decodePbNode(cid, bytes)
  if (!node.unixfs || (node.unixfs.type !== 2 && node.unixfs.type !== 0)) throw new InvalidArgumentError(`${cid} is not a UnixFS file`)
  if (node.unixfs.data && node.unixfs.data.length > 0) yield node.unixfs.data
  for (const link of node.links) yield* readUnixfsFile(blocks, link.cid)
}

function toRecord(row: Row): ImportRecord {
  return {
    id: row.id,
    root: row.root,
    source: row.source as ImportRecord['source'],
    sourcePath: row.source_path,
    sourceSize: row.source_size,
    sourceMtimeMs: row.source_mtime_ms,
    carPath: row.car_path,
    indexPath: row.index_path,
    carOwner: row.car_owner as ImportRecord['carOwner'],
    layout: row.layout,
    createdAt: row.created_at,
  }
}
