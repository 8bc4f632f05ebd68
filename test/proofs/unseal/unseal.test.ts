import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { layerFileName, sectorPaths, type SectorStore } from '../../../src/proofs/layout/index.ts'
import { joinPath } from '../../../src/proofs/layout/fs.ts'
import { writeUnsealedSector } from '../../../src/proofs/porep/index.ts'
import { typescriptKernels } from '../../../src/proofs/kernels/index.ts'
import { readUnsealedPiece, unsealSector } from '../../../src/proofs/unseal/index.ts'
import { encodeReplicaUpdate } from '../../../src/proofs/update/index.ts'
import { bytesFrom, fieldBytes, sealSector, tempStore, type SealedSector } from '../post/sealed-sector.ts'

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const p of source) parts.push(p)
  return Buffer.concat(parts)
}

function dropLayers(store: SectorStore, s: SealedSector): void {
  const { cache } = sectorPaths(store, s.sector.id)
  for (let l = 1; l <= 2; l++) rmSync(joinPath(cache, layerFileName(l)), { force: true })
}

describe('unsealing a 2 KiB sector', () => {
  let store: SectorStore & { dispose(): void }
  let s: SealedSector
  let padded: Buffer

  beforeAll(async () => {
    store = tempStore()
    s = await sealSector(store, 1)
    padded = readFileSync(sectorPaths(store, s.sector.id).unsealed)
  })
  afterAll(() => store.dispose())

  it('regenerates the key from the labels and recovers the original bytes', async () => {
    const paths = sectorPaths(store, s.sector.id)
    rmSync(paths.unsealed)
    dropLayers(store, s)
    const commD = await unsealSector(store, s.sector, { ticket: s.ticket, commD: s.commD }, { kernels: typescriptKernels })
    expect(Buffer.from(commD).equals(Buffer.from(s.commD))).toBe(true)
    expect(readFileSync(paths.unsealed).equals(padded)).toBe(true)
    expect((await collect(readUnsealedPiece(store, s.sector, 0, 2048))).equals(Buffer.from(s.payload))).toBe(true)
    expect((await collect(readUnsealedPiece(store, s.sector, 128, 256))).equals(Buffer.from(s.payload.subarray(127, 127 * 3)))).toBe(true)
  })

  it('takes the replica id and CommD from t_aux when no sealing inputs are given', async () => {
    const out = joinPath(store.root, 'elsewhere.bin')
    await unsealSector(store, s.sector, undefined, { dataPath: out, regenerate: true })
    expect(readFileSync(out).equals(padded)).toBe(true)
  })

  it('fails with a wrong ticket or an altered replica and leaves the unsealed file alone', async () => {
    const paths = sectorPaths(store, s.sector.id)
    writeFileSync(paths.unsealed, 'keep me')
    await expect(unsealSector(store, s.sector, { ticket: fieldBytes('wrong'), commD: s.commD })).rejects.toMatchObject({ code: 'E_UNSEAL_MISMATCH' })
    const sealed = readFileSync(paths.sealed)
    sealed[200] ^= 1
    writeFileSync(paths.sealed, sealed)
    await expect(unsealSector(store, s.sector, { ticket: s.ticket, commD: s.commD })).rejects.toMatchObject({ code: 'E_UNSEAL_MISMATCH' })
    expect(readFileSync(paths.unsealed, 'utf8')).toBe('keep me')
    expect(existsSync(`${paths.unsealed}.tmp`)).toBe(false)
    sealed[200] ^= 1
    writeFileSync(paths.sealed, sealed)
  })

  it('rejects piece ranges that are not whole quads inside the sector', async () => {
    await expect(collect(readUnsealedPiece(store, s.sector, 0, 100))).rejects.toMatchObject({ code: 'E_UNSEAL_RANGE_INVALID' })
    await expect(collect(readUnsealedPiece(store, s.sector, 1920, 256))).rejects.toMatchObject({ code: 'E_UNSEAL_RANGE_INVALID' })
  })
})

describe('unsealing an updated sector', () => {
  let store: SectorStore & { dispose(): void }
  beforeAll(() => {
    store = tempStore()
  })
  afterAll(() => store.dispose())

  it('recovers the new data from update/ with the key regenerated from the labels, without sealed/', async () => {
    const s = await sealSector(store, 5, 2048, new Uint8Array(2032))
    const paths = sectorPaths(store, s.sector.id)
    const data = bytesFrom('snap payload', 2032)
    await writeUnsealedSector(store, s.sector, data)
    const padded = readFileSync(paths.unsealed)
    const { commDNew } = await encodeReplicaUpdate(store, s.sector)
    rmSync(paths.unsealed)
    rmSync(paths.sealed)
    dropLayers(store, s)
    const commD = await unsealSector(store, s.sector, { ticket: s.ticket, commD: s.commD }, { from: 'update' })
    expect(Buffer.from(commD).equals(Buffer.from(commDNew))).toBe(true)
    expect(readFileSync(paths.unsealed).equals(padded)).toBe(true)
    expect((await collect(readUnsealedPiece(store, s.sector, 0, 2048))).equals(Buffer.from(data))).toBe(true)
  })

  it('decodes an update of a sector sealed over data with its sector key, and needs that key once it is gone', async () => {
    const s = await sealSector(store, 6)
    const paths = sectorPaths(store, s.sector.id)
    await writeUnsealedSector(store, s.sector, bytesFrom('second payload', 2032))
    const padded = readFileSync(paths.unsealed)
    await encodeReplicaUpdate(store, s.sector)
    rmSync(paths.unsealed)
    await unsealSector(store, s.sector, { ticket: s.ticket, commD: s.commD }, { from: 'update' })
    expect(readFileSync(paths.unsealed).equals(padded)).toBe(true)
    rmSync(paths.sealed)
    await expect(unsealSector(store, s.sector, { ticket: s.ticket, commD: s.commD }, { from: 'update' })).rejects.toMatchObject({ code: 'E_UNSEAL_SECTOR_KEY_REQUIRED' })
  })
})
