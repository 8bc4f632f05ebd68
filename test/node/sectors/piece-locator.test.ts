import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Piece } from '@web3-storage/data-segment'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { migrateDatabase } from '../../../src/node/db/index.ts'
import { openSqlite, type SqliteDatabase } from '../../../src/node/runtime/index.ts'
import { createSectorLocator, openSectorPieceReader, SectorRecords, type SectorLocatorEvent } from '../../../src/node/sectors/index.ts'
import { createSectorStore, nodeSectorFs, sectorPaths, type SectorStore } from '../../../src/proofs/layout/index.ts'
import { pieceCidV1ToV2 } from '../../../src/proofs/piece/cid.ts'
import { chainLocators, createCarScanner, createFolderLocator, createMountResolver, Dagstore, initializeAll, PieceMount, type MountReader, type MountResolver, type PieceLocator } from '../../../src/store/dagstore/index.ts'
import { bytesFrom, fieldBytes } from '../../proofs/post/sealed-sector.ts'
import { openProofsNative } from '../../../src/node/runtime/native/index.ts'
import { fr32Pad } from '../../../src/proofs/fr32/fr32.ts'
import { setProofsNative } from '../../../src/proofs/native/backend.ts'
import type { ProofsNative } from '../../../src/proofs/native/types.ts'
import { dealPiece, sealPieces, type DealPiece } from './sealed-pieces.ts'
import type { SealedSectorInput } from '../../../src/node/sectors/index.ts'

describe('sector records and the sealed-piece locator (a real 2 KiB sector holding two CARs)', () => {
  let dir: string
  let db: SqliteDatabase
  let store: SectorStore
  let records: SectorRecords
  let a: DealPiece
  let b: DealPiece
  let input: SealedSectorInput
  let sealedReplica: Buffer
  let unsealedCopy: Buffer
  const paths = () => sectorPaths(store, { miner: 1000n, number: 7n })

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'petal-sectors-'))
    store = createSectorStore(join(dir, 'sectors'), nodeSectorFs)
    ;[a, b] = [await dealPiece('piece-a'), await dealPiece('piece-b', 700)]
    input = (await sealPieces(store, 7, [a, b])).input
    sealedReplica = readFileSync(paths().sealed)
    unsealedCopy = readFileSync(paths().unsealed)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  beforeEach(() => {
    db?.close()
    rmSync(join(dir, 'petal.db'), { force: true })
    db = openSqlite(join(dir, 'petal.db'))
    migrateDatabase(db)
    records = new SectorRecords(db)
    writeFileSync(paths().sealed, sealedReplica)
    writeFileSync(paths().unsealed, unsealedCopy)
  })

  it('records a sector with its pieces where Lotus lays them out, found by either piece CID form', () => {
    const placed = records.record(input)
    expect(placed.map((p) => [p.pieceCid, p.offset, p.size])).toEqual([
      [a.pieceCid, 0, 1024],
      [b.pieceCid, 1024, 1024],
    ])
    expect(records.record(input).length).toBe(2) // the same record again: a no-op
    expect(records.list().map((s) => s.number)).toEqual([7])
    const v2 = pieceCidV1ToV2(b.pieceCid, b.car.length).toString()
    expect(records.placements(v2).map((p) => [p.pieceCid, p.sector.number, p.offset])).toEqual([[b.pieceCid, 7, 1024]])
    expect(records.placements('not-a-cid')).toEqual([])
    expect(records.remove(7)).toBe(true)
    expect(records.placements(a.pieceCid)).toEqual([])
  })

  it('refuses a record whose pieces do not make its CommD, or that contradicts an earlier one, and keeps nothing of it', () => {
    const swapped = { ...input, pieces: [...input.pieces].reverse() }
    expect(() => records.record(swapped)).toThrow(expect.objectContaining({ code: 'E_SECTOR_RECORD_INVALID' }))
    expect(() => records.record({ ...input, ticket: new Uint8Array(31) })).toThrow(expect.objectContaining({ code: 'E_SECTOR_RECORD_INVALID' }))
    expect(() => records.record({ ...input, pieces: [...input.pieces, ...input.pieces] })).toThrow(expect.objectContaining({ code: 'E_SECTOR_RECORD_INVALID' }))
    expect(records.list()).toEqual([])
    records.record(input)
    expect(() => records.record({ ...input, ticket: fieldBytes('another') })).toThrow(expect.objectContaining({ code: 'E_SECTOR_RECORD_INVALID' }))
    expect(records.get(7)!.ticket).toEqual(input.ticket)
  })

  const readAll = async (reader: MountReader) => {
    const parts: Uint8Array[] = []
    for await (const chunk of reader.stream()) parts.push(chunk)
    reader.close()
    return Buffer.concat(parts)
  }

  /** Records the sector and removes its unsealed copy, leaving the replica (with one bit flipped at `alterAt`). */
  const sealedOnly = (alterAt?: number) => {
    records.record(input)
    rmSync(paths().unsealed)
    if (alterAt === undefined) return
    const bad = Buffer.from(sealedReplica)
    bad[alterAt] ^= 1
    writeFileSync(paths().sealed, bad)
  }

  /** Runs `fn` on a dagstore over the test database whose pieces are found by the sector locator. */
  const withDagstore = async (fn: (ds: Dagstore, locators: PieceLocator, resolveMount: MountResolver) => Promise<void>) => {
    const locators = chainLocators([createFolderLocator(join(dir, 'staging-none')), createSectorLocator({ records, store })])
    const resolveMount = createMountResolver(locators)
    const ds = new Dagstore({ db, resolveMount, scan: createCarScanner() })
    try {
      await fn(ds, locators, resolveMount)
    } finally {
      ds.close()
    }
  }

  it('reads a piece straight out of the unsealed copy, in the client\'s bytes, at any offset', async () => {
    records.record(input)
    rmSync(paths().sealed) // no replica: only the unsealed copy can serve
    const locator = createSectorLocator({ records, store })
    expect(await locator.unsealedPath(b.pieceCid)).toBeUndefined() // never a file of its own
    const reader = (await locator.openUnsealed!(b.pieceCid))!
    expect(reader.size).toBe(1016)
    // Ranges that start and end inside fr32 quads, across quad boundaries, and at the end.
    for (const [at, n] of [[0, 1016], [1, 126], [126, 3], [127, 127], [300, 500], [1000, 16], [1010, 100]]) {
      expect(Buffer.from(reader.readAt(at, n)).equals(Buffer.from(b.unpadded.subarray(at, at + n)))).toBe(true)
      const into = new Uint8Array(n)
      expect(reader.readInto!(into, at)).toBe(Math.min(n, 1016 - at))
    }
    const whole = await readAll(reader)
    expect(whole.equals(Buffer.from(b.unpadded))).toBe(true)
    // What is read is the piece: the reference package computes the same piece CID from it.
    expect(Piece.fromPayload(whole).toInfo().link.toString()).toBe(b.pieceCid)
    const viaV2 = (await locator.openUnsealed!(pieceCidV1ToV2(a.pieceCid, a.car.length).toString()))!
    expect((await readAll(viaV2)).equals(Buffer.from(a.unpadded))).toBe(true)
    expect(await locator.hasSealed!(a.pieceCid)).toBe(false)
    expect(await locator.openUnsealed!('baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi')).toBeUndefined()
    expect(await locator.openUnsealed!('not-a-cid')).toBeUndefined()
  })

  it('unseals the replica when no unsealed copy is kept, once for several pieces asked at the same time', async () => {
    sealedOnly()
    const events: SectorLocatorEvent[] = []
    const locator = createSectorLocator({ records, store, onEvent: (e) => events.push(e) })
    expect(await locator.openUnsealed!(a.pieceCid)).toBeUndefined()
    expect(await locator.hasSealed!(a.pieceCid)).toBe(true)
    expect(await Promise.all([locator.unseal!(a.pieceCid, {}), locator.unseal!(b.pieceCid, {})])).toEqual([true, true])
    expect(events.filter((e) => e.msg === 'unsealed sector')).toHaveLength(1)
    expect(readFileSync(paths().unsealed).equals(unsealedCopy)).toBe(true)
    expect((await readAll((await locator.openUnsealed!(a.pieceCid))!)).equals(Buffer.from(a.unpadded))).toBe(true)
    expect(await locator.unseal!('baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi', {})).toBe(false)
  })

  it('refuses an altered replica with a typed error and leaves no unsealed copy', async () => {
    sealedOnly(300)
    const locator = createSectorLocator({ records, store })
    await expect(locator.unseal!(a.pieceCid, {})).rejects.toMatchObject({ code: 'E_UNSEAL_MISMATCH' })
    expect(readdirSync(join(dir, 'sectors', 'unsealed'))).toEqual([])
  })

  it('fails a read of an unsealed copy whose fr32 padding is broken, and one cut short', async () => {
    records.record(input)
    const bad = Buffer.from(unsealedCopy)
    bad[1024 + 31] |= 0xc0 // the top bits of piece b's first field element
    writeFileSync(paths().unsealed, bad)
    const locator = createSectorLocator({ records, store })
    const reader = (await locator.openUnsealed!(b.pieceCid))!
    expect(() => reader.readAt(0, 10)).toThrow(expect.objectContaining({ code: 'E_FR32_INVALID' }))
    reader.close()
    writeFileSync(paths().unsealed, unsealedCopy.subarray(0, 1500))
    expect(await locator.openUnsealed!(b.pieceCid)).toBeUndefined() // not a whole sector: not a copy
    const short = openSectorPieceReader(paths().unsealed, 1024, 1024)
    expect(() => short.readAt(900, 10)).toThrow(expect.objectContaining({ code: 'E_SECTOR_FILE_SHORT' }))
    short.close()
  })

  it('errors the shard of a piece whose replica was altered, saying why, and recovers it once the replica is whole', async () => {
    sealedOnly(1500)
    await withDagstore(async (dagstore, locators) => {
      await expect(dagstore.register(a.pieceCid, new PieceMount(a.pieceCid, locators))).rejects.toMatchObject({ code: 'E_SHARD_INDEX' })
      const [info] = dagstore.list()
      expect(info.State).toBe('ShardStateErrored')
      expect(info.Error).toContain('does not have the sector\'s CommD') // list-shards says why
      writeFileSync(paths().sealed, sealedReplica)
      await dagstore.recover(a.pieceCid)
      expect(dagstore.list()[0].State).toBe('ShardStateAvailable')
      expect(Buffer.from((await dagstore.getBlock(a.root))!).equals(Buffer.from(a.block))).toBe(true)
    })
  })

  it('passes a cancelled unseal through as the cancellation, leaving no unsealed copy', async () => {
    sealedOnly()
    const mount = new PieceMount(a.pieceCid, chainLocators([createSectorLocator({ records, store })]))
    const stop = new AbortController()
    stop.abort()
    await expect(mount.open({ signal: stop.signal })).rejects.toMatchObject({ name: 'AbortError' })
    expect(readdirSync(join(dir, 'sectors', 'unsealed'))).toEqual([])
    expect(await mount.stat()).toEqual({ exists: true, size: 0, ready: false })
  })

  it('counts a piece in a kept unsealed copy as unsealed: initialize-all takes it without includeSealed', async () => {
    records.record(input)
    await withDagstore(async (dagstore, locators, resolveMount) => {
      for (const p of [a, b]) await dagstore.register(p.pieceCid, new PieceMount(p.pieceCid, locators), { lazy: true })
      expect(await new PieceMount(a.pieceCid, locators).stat()).toEqual({ exists: true, size: 1016, ready: true })
      const ends = []
      for await (const e of initializeAll(dagstore, resolveMount, { concurrency: 1, includeSealed: false })) if (e.Event === 'end') ends.push([e.Key, e.Success])
      expect(ends.sort()).toEqual([[a.pieceCid, true], [b.pieceCid, true]].sort())
      expect(Buffer.from((await dagstore.getBlock(b.root))!).equals(Buffer.from(b.block))).toBe(true)
    })
  })

  it('lets the dagstore index a sealed-only piece and read its block', async () => {
    sealedOnly()
    await withDagstore(async (dagstore, locators) => {
      await dagstore.register(b.pieceCid, new PieceMount(b.pieceCid, locators))
      expect(dagstore.list()).toEqual([{ Key: b.pieceCid, State: 'ShardStateAvailable', Error: '' }])
      expect(Buffer.from((await dagstore.getBlock(b.root))!).equals(Buffer.from(b.block))).toBe(true)
    })
  })
})

describe('reading a piece out of an unsealed sector file', () => {
  let loaded: ProofsNative | null = null
  try {
    loaded = openProofsNative()
  } catch {
    // No libpetal here: only the TypeScript path runs.
  }
  const paths = loaded ? ['typescript', 'native'] : ['typescript']

  it.each(paths)('gives the unpadded bytes of any range of a 256 KiB piece at offset 64 KiB (%s unpad)', (path) => {
    const dir = mkdtempSync(join(tmpdir(), 'petal-sector-reader-'))
    setProofsNative(path === 'native' ? loaded : null)
    try {
      const data = bytesFrom('big piece', 2048 * 127)
      const file = join(dir, 'unsealed')
      const sector = new Uint8Array(512 * 1024)
      fr32Pad(data, sector.subarray(65536, 65536 + 262144))
      writeFileSync(file, sector)
      const reader = openSectorPieceReader(file, 65536, 262144)
      expect(reader.size).toBe(data.length)
      for (const [at, n] of [[0, data.length], [5, 200_000], [127 * 1000 - 3, 127 * 64 + 7], [data.length - 9, 100]]) {
        expect(Buffer.from(reader.readAt(at, n)).equals(Buffer.from(data.subarray(at, at + n)))).toBe(true)
      }
      sector[65536 + 128 * 100 + 31] |= 0x40
      writeFileSync(file, sector)
      expect(() => reader.readAt(0, 127 * 128)).toThrow(expect.objectContaining({ code: 'E_FR32_INVALID' }))
      reader.close()
    } finally {
      setProofsNative(null)
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
