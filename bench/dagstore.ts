/**
 * The dagstore's hot paths, with the reference package and the machine's limit measured in the same run:
 *   initialize: shard initialize (scan + SQLite index) of a generated CAR of 256 KiB blocks and of 1 KiB
 *               blocks, MB/s and index entries/s, vs @ipld/car CarIndexer over the file and `dd` → /dev/null
 *               (the limit: reading the file; `vs limit` = dd time / initialize time) and the issue's
 *               target of 500 MB/s (`vs target`); and the same CAR as a deal piece inside an unsealed sector
 *               (fr32-padded, recorded as the sealing pipeline records it), read through the sealed-piece
 *               locator, which unpads as it reads
 *   lookup:     LookupPieces/s, acquire + get and getBlock (any shard) p50/p99, on shards × blocks; the same
 *               shards registered lazily and indexed by initialize-all (concurrency 5), shards/s
 * Defaults run in a few minutes; the sizes: PETAL_BENCH_DAGSTORE_MIB=1024 PETAL_BENCH_DAGSTORE_SHARDS=1000.
 * Everything lives in a temp dir that is deleted at the end.
 */
import { execFileSync } from 'node:child_process'
import { hash, randomFillSync } from 'node:crypto'
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CarIndexer } from '@ipld/car/indexer'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { calcCommPFromFile } from '../src/node/commp/index.ts'
import { migrateDatabase } from '../src/node/db/index.ts'
import { openSqlite } from '../src/node/runtime/index.ts'
import { createSectorLocator, SectorRecords } from '../src/node/sectors/index.ts'
import { createSectorStore, nodeSectorFs } from '../src/proofs/layout/index.ts'
import { encodeSectionHeader, encodeV1Header } from '../src/store/car/index.ts'
import { createCarScanner, createMountResolver, Dagstore, DAGSTORE_SCHEMA, FileMount, initializeAll, PieceMount } from '../src/store/dagstore/index.ts'
import { peakRss, percentile, printTable, writeResult, type Row } from './lib/report.ts'
import { layPieceInSector } from './lib/sector-piece.ts'

const TOTAL = Number(process.env.PETAL_BENCH_DAGSTORE_MIB ?? 256) * (1 << 20)
const SHARDS = Number(process.env.PETAL_BENCH_DAGSTORE_SHARDS ?? 100)
const BLOCKS_PER_SHARD = Number(process.env.PETAL_BENCH_DAGSTORE_BLOCKS ?? 1000)
const MB = 1e6
/** The target for shard initialize, MB/s. */
const TARGET_MBPS = 500

/** Writes a CARv1 of `total` bytes of raw sha2-256 blocks of `blockSize` (unique: a counter in each). */
export function writeRawCar(path: string, total: number, blockSize: number): CID[] {
  const data = new Uint8Array(Math.max(blockSize, 1 << 20))
  randomFillSync(data)
  const view = new DataView(data.buffer)
  const cids: CID[] = []
  const fd = openSync(path, 'w')
  const out = new Uint8Array(8 << 20)
  let used = 0
  let pos = 0
  const flush = () => {
    let done = 0
    while (done < used) done += writeSync(fd, out, done, used - done, pos + done)
    pos += used
    used = 0
  }
  const put = (bytes: Uint8Array) => {
    if (used + bytes.length > out.length) flush()
    if (bytes.length > out.length) {
      let done = 0
      while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, pos + done)
      pos += bytes.length
      return
    }
    out.set(bytes, used)
    used += bytes.length
  }
  const first = CID.createV1(0x55, Digest.create(0x12, new Uint8Array(32)))
  put(encodeV1Header([first]))
  for (let i = 0, written = 0; written < total; i++) {
    const at = (i * 4099) % (data.length - blockSize + 1)
    view.setUint32(at, i, true)
    const bytes = data.subarray(at, at + blockSize)
    const cid = CID.createV1(0x55, Digest.create(0x12, hash('sha256', bytes, 'buffer')))
    put(encodeSectionHeader(cid, blockSize))
    put(bytes)
    cids.push(cid)
    written += blockSize
  }
  flush()
  closeSync(fd)
  return cids
}

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000
}

function dd(path: string): number {
  const t0 = performance.now()
  execFileSync('dd', [`if=${path}`, 'of=/dev/null', 'bs=1M', 'status=none'])
  return seconds(t0)
}

function openStore(dir: string, name: string): { ds: Dagstore; close(): void } {
  const db = openSqlite(join(dir, `${name}.db`))
  // As the node's dagstore service opens it (src/node/services/dagstore.ts).
  db.exec('PRAGMA cache_size = -65536')
  db.exec(DAGSTORE_SCHEMA)
  const ds = new Dagstore({ db, resolveMount: createMountResolver({ unsealedPath: async () => undefined }), scan: createCarScanner() })
  return { ds, close: () => (ds.close(), db.close()) }
}

/**
 * Lays the CAR at `carPath` into sector 1 of a sector store under `dir` as its only deal piece (fr32-padded
 * at offset 0; the zeros after it are left sparse) and records the sector in a fresh repo database.
 * Returns a dagstore over that database whose pieces are found by the sealed-piece locator.
 */
async function sectorStore(dir: string, carPath: string): Promise<{ ds: Dagstore; mount: PieceMount; close(): void }> {
  const { pieceCid, pieceSize } = await calcCommPFromFile(carPath)
  const store = createSectorStore(join(dir, 'sectors'), nodeSectorFs)
  const db = openSqlite(join(dir, 'sector.db'))
  db.exec('PRAGMA cache_size = -65536')
  migrateDatabase(db)
  layPieceInSector(db, store, 1, carPath, pieceCid, pieceSize)
  const locator = createSectorLocator({ records: new SectorRecords(db), store })
  const ds = new Dagstore({ db, resolveMount: createMountResolver(locator), scan: createCarScanner() })
  return { ds, mount: new PieceMount(pieceCid, locator), close: () => (ds.close(), db.close(), rmSync(join(dir, 'sectors'), { recursive: true, force: true }), rmSync(join(dir, 'sector.db'), { force: true })) }
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'petal-bench-dagstore-'))
  const rows: Row[] = []
  const results: Record<string, unknown> = {}
  try {
    const label = `${TOTAL >> 20} MiB`
    for (const blockSize of [256 << 10, 1 << 10]) {
      const path = join(dir, `${blockSize}.car`)
      const cids = writeRawCar(path, TOTAL, blockSize)
      const size = statSync(path).size
      const set = `${label} CAR of ${blockSize >> 10} KiB blocks (${cids.length} blocks)`
      const limit = Math.min(dd(path), dd(path))
      rows.push({ dataset: set, what: 'limit: dd → /dev/null', 'MB/s': size / MB / limit, 'entries/s': null, s: limit })
      let t0 = performance.now()
      let n = 0
      for await (const _ of await CarIndexer.fromIterable(createReadStream(path, { highWaterMark: 1 << 20 }))) n++
      const ipld = seconds(t0)
      rows.push({ dataset: set, what: '@ipld/car CarIndexer (no store)', 'MB/s': size / MB / ipld, 'entries/s': n / ipld, s: ipld })
      const { ds, close } = openStore(dir, `init-${blockSize}`)
      t0 = performance.now()
      await ds.register('shard', new FileMount(path))
      const init = seconds(t0)
      const entries = ds.record('shard').entries
      close()
      rows.push({ dataset: set, what: 'petal shard initialize (scan + SQLite index)', 'MB/s': size / MB / init, 'entries/s': entries / init, s: init, 'vs limit': limit / init, 'vs target': size / MB / init / TARGET_MBPS })
      results[`initialize_${blockSize}`] = { size, entries, seconds: init, mbps: size / MB / init, limitSeconds: limit, ipldSeconds: ipld, targetMbps: TARGET_MBPS }
      const sector = await sectorStore(dir, path)
      t0 = performance.now()
      await sector.ds.register(sector.mount.pieceCid, sector.mount)
      const fromSector = seconds(t0)
      sector.close()
      rows.push({ dataset: set, what: 'petal shard initialize, piece in an unsealed sector', 'MB/s': size / MB / fromSector, 'entries/s': entries / fromSector, s: fromSector, 'vs limit': limit / fromSector, 'vs target': size / MB / fromSector / TARGET_MBPS })
      results[`initialize_sector_${blockSize}`] = { size, entries, seconds: fromSector, mbps: size / MB / fromSector }
      rmSync(path)
    }
    printTable(rows)

    // Shards × blocks: small blocks of 256 bytes, each shard its own CAR file.
    const lookupRows: Row[] = []
    const { ds, close } = openStore(dir, 'many')
    const all: Array<{ key: string; cid: CID }> = []
    let t0 = performance.now()
    for (let s = 0; s < SHARDS; s++) {
      const path = join(dir, `shard-${s}.car`)
      const cids = writeRawCar(path, BLOCKS_PER_SHARD * 256, 256)
      for (const cid of cids) all.push({ key: `shard-${s}`, cid })
    }
    const writeSeconds = seconds(t0)
    t0 = performance.now()
    const pending: Array<Promise<unknown>> = []
    for (let s = 0; s < SHARDS; s++) pending.push(ds.register(`shard-${s}`, new FileMount(join(dir, `shard-${s}.car`))))
    await Promise.all(pending)
    const registerSeconds = seconds(t0)
    lookupRows.push({ what: `register + initialize ${SHARDS} shards × ${BLOCKS_PER_SHARD} blocks`, 'ops/s': SHARDS / registerSeconds, 'p50 µs': null, 'p99 µs': null, note: `${((SHARDS * BLOCKS_PER_SHARD) / registerSeconds).toFixed(0)} entries/s` })
    const pick = () => all[Math.floor(Math.random() * all.length)]
    const LOOKUPS = 20_000
    t0 = performance.now()
    for (let i = 0; i < LOOKUPS; i++) if (ds.lookupPieces(pick().cid).length !== 1) throw new Error('lookup missed')
    const lookupSeconds = seconds(t0)
    lookupRows.push({ what: 'LookupPieces', 'ops/s': LOOKUPS / lookupSeconds, 'p50 µs': null, 'p99 µs': null, note: '' })
    const SAMPLES = 10_000
    const acquireGet: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const { key, cid } = pick()
      const t = performance.now()
      const acc = await ds.acquire(key)
      const bytes = acc.get(cid)
      acc.close()
      acquireGet.push((performance.now() - t) * 1000)
      if (!bytes) throw new Error('get missed')
    }
    lookupRows.push({ what: 'acquire + get (verified) + release', 'ops/s': SAMPLES / (acquireGet.reduce((a, b) => a + b, 0) / 1e6), 'p50 µs': percentile(acquireGet, 50), 'p99 µs': percentile(acquireGet, 99), note: '' })
    const getBlock: number[] = []
    for (let i = 0; i < SAMPLES; i++) {
      const { cid } = pick()
      const t = performance.now()
      const bytes = await ds.getBlock(cid)
      getBlock.push((performance.now() - t) * 1000)
      if (!bytes) throw new Error('getBlock missed')
    }
    lookupRows.push({ what: 'getBlock from any shard (lookup + read + verify)', 'ops/s': SAMPLES / (getBlock.reduce((a, b) => a + b, 0) / 1e6), 'p50 µs': percentile(getBlock, 50), 'p99 µs': percentile(getBlock, 99), note: '' })
    close()
    // The same shards registered lazily in a fresh store, then `initialize-all --concurrency 5`.
    const lazy = openStore(dir, 'lazy')
    for (let s = 0; s < SHARDS; s++) await lazy.ds.register(`shard-${s}`, new FileMount(join(dir, `shard-${s}.car`)), { lazy: true })
    t0 = performance.now()
    let initialized = 0
    const resolveMount = createMountResolver({ unsealedPath: async () => undefined })
    for await (const e of initializeAll(lazy.ds, resolveMount, { concurrency: 5, includeSealed: false })) if (e.Event === 'end' && e.Success) initialized++
    const initializeAllSeconds = seconds(t0)
    lazy.close()
    if (initialized !== SHARDS) throw new Error(`initialize-all indexed ${initialized} of ${SHARDS} shards`)
    lookupRows.push({ what: `initialize-all --concurrency 5, ${SHARDS} lazy shards`, 'ops/s': SHARDS / initializeAllSeconds, 'p50 µs': null, 'p99 µs': null, note: `${((SHARDS * BLOCKS_PER_SHARD) / initializeAllSeconds).toFixed(0)} entries/s` })
    printTable(lookupRows)
    results.lookups = {
      shards: SHARDS,
      blocksPerShard: BLOCKS_PER_SHARD,
      writeSeconds,
      registerSeconds,
      initializeAllSeconds,
      lookupsPerSecond: LOOKUPS / lookupSeconds,
      acquireGetP50us: percentile(acquireGet, 50),
      acquireGetP99us: percentile(acquireGet, 99),
      getBlockP50us: percentile(getBlock, 50),
      getBlockP99us: percentile(getBlock, 99),
    }
    writeResult('dagstore', { rows: [...rows, ...lookupRows], results, peakRss: peakRss() })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
