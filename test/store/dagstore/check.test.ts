/**
 * getBlock with an asynchronous `check` (verifyBlockBytesAsync: large sha2 blocks hashed off the main
 * thread): good bytes come back, a corrupt copy is reported and the next shard holding the block serves it,
 * and a block whose only copy is corrupt fails with E_SHARD_BLOCK_CORRUPT, as the synchronous check does.
 */
import { CarBufferWriter } from '@ipld/car'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type SqliteDatabase } from '../../../src/node/runtime/index.ts'
import { createMountResolver, Dagstore, DAGSTORE_SCHEMA, FileMount, verifyBlockBytesAsync, type DagstoreEvent } from '../../../src/store/dagstore/index.ts'
import { scanWithIpldCar } from './scan-with-ipld-car.ts'

/** A CAR of raw blocks: two large ones (sha2-256 and sha2-512, hashed off-thread) and a small one. */
async function writeCar(path: string, blocks: { cid: CID; bytes: Uint8Array }[]): Promise<void> {
  const w = CarBufferWriter.createWriter(new ArrayBuffer(1 << 20), { roots: [blocks[0].cid] })
  for (const b of blocks) w.write(b)
  writeFileSync(path, w.close({ resize: true }))
}

describe('getBlock with an asynchronous check', () => {
  let dir: string
  let db: SqliteDatabase
  let events: DagstoreEvent[]
  let blocks: { cid: CID; bytes: Uint8Array }[]
  const open = () => new Dagstore({ db, resolveMount: createMountResolver({ unsealedPath: async () => undefined }), scan: scanWithIpldCar, onEvent: (e) => events.push(e) })

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'petal-dagstore-check-'))
    db = openSqlite(join(dir, 'petal.db'))
    db.exec(DAGSTORE_SCHEMA)
    events = []
    const big = crypto.getRandomValues(new Uint8Array(200_000))
    const big512 = crypto.getRandomValues(new Uint8Array(100_000))
    const small = new TextEncoder().encode('a small block')
    blocks = [
      { cid: CID.createV1(raw.code, await sha256.digest(big)), bytes: big },
      { cid: CID.createV1(raw.code, await sha512.digest(big512)), bytes: big512 },
      { cid: CID.createV1(raw.code, await sha256.digest(small)), bytes: small },
    ]
    await writeCar(join(dir, 'a.car'), blocks)
    await writeCar(join(dir, 'b.car'), blocks)
  })
  afterEach(() => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const corrupt = (file: string, block: Uint8Array) => {
    const bytes = readFileSync(join(dir, file))
    const at = bytes.indexOf(Buffer.from(block.subarray(0, 64)))
    bytes[at + 10] ^= 1
    writeFileSync(join(dir, file), bytes)
  }

  it('returns the same bytes as the synchronous check, for large sha2-256/512 and small blocks', async () => {
    const ds = open()
    await ds.register('a', new FileMount(join(dir, 'a.car')))
    for (const b of blocks) expect(await ds.getBlock(b.cid, { check: verifyBlockBytesAsync })).toEqual(b.bytes)
  })

  it('reports a corrupt copy and serves the block from the next shard; fails when no good copy is left', async () => {
    const ds = open()
    await ds.register('a', new FileMount(join(dir, 'a.car')))
    await ds.register('b', new FileMount(join(dir, 'b.car')))
    corrupt('a.car', blocks[0].bytes)
    corrupt('a.car', blocks[1].bytes)
    ds.gc()
    for (const b of blocks.slice(0, 2)) expect(await ds.getBlock(b.cid, { check: verifyBlockBytesAsync })).toEqual(b.bytes)
    expect(events.filter((e) => e.msg === 'shard failed to serve a block' && e.key === 'a')).toHaveLength(2)
    corrupt('b.car', blocks[0].bytes)
    ds.gc()
    await expect(ds.getBlock(blocks[0].cid, { check: verifyBlockBytesAsync })).rejects.toMatchObject({ code: 'E_SHARD_BLOCK_CORRUPT' })
    await expect(ds.getBlock(blocks[0].cid)).rejects.toMatchObject({ code: 'E_SHARD_BLOCK_CORRUPT' })
  })
})
