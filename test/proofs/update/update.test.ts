import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { Piece } from '@web3-storage/data-segment'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHE_FILES, sectorPaths, type SectorStore } from '../../../src/proofs/layout/index.ts'
import { joinPath } from '../../../src/proofs/layout/fs.ts'
import { hash2, sha256TreeHasher } from '../../../src/proofs/merkle/index.ts'
import { readPAux } from '../../../src/proofs/layout/aux.ts'
import { nodeSectorFs } from '../../../src/proofs/layout/node-fs.ts'
import { writeUnsealedSector } from '../../../src/proofs/porep/index.ts'
import { generateWindowPoSt, generateWinningPoSt, postRandomness, sectorChallenges, verifyWindowPoSt, verifyWinningPoSt } from '../../../src/proofs/post/index.ts'
import {
  decodeReplicaUpdate,
  encodeReplicaUpdate,
  encodeUpdateProof,
  decodeUpdateProof,
  proveReplicaUpdate1,
  proveReplicaUpdate2,
  regenerateSectorKey,
  verifyReplicaUpdate,
  type UpdateCommitments,
} from '../../../src/proofs/update/index.ts'
import { bytesFrom, fieldBytes, MINER, sealSector, tempStore, type SealedSector } from '../post/sealed-sector.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/** Seals a CC sector (zeros), then stages `newData` as the sector's unsealed data and updates it. */
async function updatedSector(store: SectorStore, number: number, sectorSize: number, newData: Uint8Array) {
  const sealed = await sealSector(store, number, sectorSize, new Uint8Array((sectorSize / 128) * 127))
  const paths = sectorPaths(store, sealed.sector.id)
  const sectorKey = readFileSync(paths.sealed)
  await writeUnsealedSector(store, sealed.sector, newData)
  const padded = readFileSync(paths.unsealed)
  const commitments = await encodeReplicaUpdate(store, sealed.sector)
  return { sealed, paths, sectorKey, padded, commitments }
}

describe('replica update of a 2 KiB CC sector', () => {
  let store: SectorStore & { dispose(): void }
  let s: Awaited<ReturnType<typeof updatedSector>>
  let proof: Uint8Array
  const data = bytesFrom('new deal data', 2032)

  beforeAll(async () => {
    store = tempStore()
    s = await updatedSector(store, 7, 2048, data)
    const vanilla = await proveReplicaUpdate1(store, s.sealed.sector, s.commitments)
    proof = proveReplicaUpdate2(s.sealed.sector, s.commitments, vanilla)
  })
  afterAll(() => store.dispose())

  const info = (c: Partial<UpdateCommitments> = {}, bytes = proof) => ({ updateProof: 0, ...s.commitments, ...c, proof: bytes })

  it('keeps the sector key CommR and comm_c, and writes the update files', () => {
    expect(hex(s.commitments.commROld)).toBe(hex(s.sealed.commR))
    const aux = readPAux(nodeSectorFs, joinPath(s.paths.updateCache, CACHE_FILES.pAux))
    const old = readPAux(nodeSectorFs, joinPath(s.paths.cache, CACHE_FILES.pAux))
    expect(hex(aux.commC)).toBe(hex(old.commC))
    expect(hex(hash2(sha256TreeHasher(), aux.commC, aux.commRLast))).toBe(hex(s.commitments.commRNew))
    expect(hex(readFileSync(s.paths.sealed))).toBe(hex(s.sectorKey))
    expect(readFileSync(s.paths.update)).toHaveLength(2048)
    for (const f of [CACHE_FILES.treeD, CACHE_FILES.treeRLast, CACHE_FILES.tAux]) expect(existsSync(joinPath(s.paths.updateCache, f))).toBe(true)
    expect(readFileSync(s.paths.update).equals(readFileSync(s.paths.sealed))).toBe(false)
  })

  it('verifies the update proof and rejects it against other commitments with typed reasons', () => {
    expect(verifyReplicaUpdate(info())).toEqual({ valid: true })
    expect(verifyReplicaUpdate(info({ commROld: fieldBytes('x') }))).toMatchObject({ valid: false, reason: 'E_COMM_R_OLD_MISMATCH' })
    expect(verifyReplicaUpdate(info({ commRNew: fieldBytes('x') }))).toMatchObject({ valid: false, reason: 'E_COMM_R_NEW_MISMATCH' })
    expect(verifyReplicaUpdate(info({ commDNew: fieldBytes('x') }))).toMatchObject({ valid: false, reason: 'E_TREE_D_PROOF_INVALID' })
    expect(verifyReplicaUpdate(info({}, proof.subarray(0, proof.length - 3)))).toMatchObject({ valid: false, reason: 'E_PROOF_MALFORMED' })
    expect(verifyReplicaUpdate({ ...info(), updateProof: 1 })).toMatchObject({ valid: false, reason: 'E_PROOF_TYPE_MISMATCH' })
    const { partitions } = decodeUpdateProof(proof)
    expect(verifyReplicaUpdate(info({}, encodeUpdateProof(0, [])))).toMatchObject({ valid: false, reason: 'E_PARTITION_COUNT_MISMATCH' })
    expect(partitions).toHaveLength(1)
  })

  it('rejects a proof whose encoding or apex leaves were changed', () => {
    const { partitions } = decodeUpdateProof(proof)
    // Bytes after the header: tag(4) version(1) type(1) partition(2) comm_c, r_old, r_new (96) → apex leaves.
    const apex = partitions[0].slice()
    apex[8 + 96 + 3] ^= 1
    expect(verifyReplicaUpdate(info({}, encodeUpdateProof(0, [apex])))).toMatchObject({ valid: false, reason: 'E_APEX_MISMATCH' })
  })

  it('proves PoSt over the update files against CommR_new, and over the sector key against CommR_old', async () => {
    const randomness = fieldBytes('snap post')
    const updated = { sealProof: s.sealed.sector.proofType, sectorNumber: 7n, commR: s.commitments.commRNew, sectorKey: s.commitments.commROld }
    const window = await generateWindowPoSt(store, { postProof: 10, minerId: MINER, randomness, sectors: [updated] })
    expect(window.skipped).toEqual([])
    expect(verifyWindowPoSt({ postProof: 10, randomness, sectors: [{ sectorNumber: 7n, commR: s.commitments.commRNew }], proofs: window.proofs })).toEqual({ valid: true })
    const winning = await generateWinningPoSt(store, { postProof: 0, minerId: MINER, randomness, sectors: [updated] })
    expect(verifyWinningPoSt({ postProof: 0, randomness, sectors: [{ sectorNumber: 7n, commR: s.commitments.commRNew }], proofs: winning })).toEqual({ valid: true })
    // Still upgrading: chain has CommR_old and no sector key, so the sealed replica is proven.
    const old = await generateWindowPoSt(store, { postProof: 10, minerId: MINER, randomness, sectors: [{ ...updated, commR: s.commitments.commROld, sectorKey: null }] })
    expect(verifyWindowPoSt({ postProof: 10, randomness, sectors: [{ sectorNumber: 7n, commR: s.commitments.commROld }], proofs: old.proofs })).toEqual({ valid: true })
    // An upgraded sector proven without its update files is skipped.
    const wrong = await generateWindowPoSt(store, { postProof: 10, minerId: MINER, randomness, sectors: [{ ...updated, sectorKey: null }] })
    expect(wrong.skipped).toMatchObject([{ sectorNumber: 7n, reason: 'E_COMM_R_MISMATCH' }])
  })

  it('decodes the new data back and regenerates the sector key', async () => {
    rmSync(s.paths.unsealed)
    const commD = await decodeReplicaUpdate(store, s.sealed.sector)
    expect(hex(commD)).toBe(hex(s.commitments.commDNew))
    expect(readFileSync(s.paths.unsealed).equals(s.padded)).toBe(true)
    rmSync(s.paths.sealed)
    rmSync(joinPath(s.paths.cache, CACHE_FILES.treeRLast))
    expect(hex(await regenerateSectorKey(store, s.sealed.sector))).toBe(hex(s.commitments.commROld))
    expect(readFileSync(s.paths.sealed).equals(s.sectorKey)).toBe(true)
    const again = await proveReplicaUpdate1(store, s.sealed.sector, s.commitments)
    expect(verifyReplicaUpdate(info({}, proveReplicaUpdate2(s.sealed.sector, s.commitments, again)))).toEqual({ valid: true })
  })

  it('gives CommD_new equal to the piece commitment data-segment computes for the new data', () => {
    const piece = Piece.fromPayload(data)
    expect(piece.size).toBe(2048n)
    expect(hex(piece.root)).toBe(hex(s.commitments.commDNew))
  })

  it('keeps a golden hash of the update proof for a fixed 2 KiB sector', () => {
    expect([hex(s.commitments.commROld), hex(s.commitments.commRNew), hex(s.commitments.commDNew), sha(proof)]).toEqual(GOLDEN)
  })
})

describe('replica update failures', () => {
  let store: SectorStore & { dispose(): void }
  beforeAll(() => {
    store = tempStore()
  })
  afterAll(() => store.dispose())

  it('refuses to prove an update whose replica was altered', async () => {
    const s = await updatedSector(store, 1, 2048, bytesFrom('a', 2032))
    const bytes = readFileSync(s.paths.update)
    bytes[64] ^= 1
    writeFileSync(s.paths.update, bytes)
    const vanilla = await proveReplicaUpdate1(store, s.sealed.sector, s.commitments)
    expect(() => proveReplicaUpdate2(s.sealed.sector, s.commitments, vanilla)).toThrow(expect.objectContaining({ code: 'E_PROOF_INVALID' }))
  })

  it('refuses public inputs that are not the update on disk', async () => {
    const s = await updatedSector(store, 2, 2048, bytesFrom('b', 2032))
    await expect(proveReplicaUpdate1(store, s.sealed.sector, { ...s.commitments, commDNew: fieldBytes('nope') })).rejects.toMatchObject({ code: 'E_UPDATE_INPUTS_MISMATCH' })
    expect(() => proveReplicaUpdate2(s.sealed.sector, s.commitments, [])).toThrow(expect.objectContaining({ code: 'E_UPDATE_PARTITION_COUNT' }))
  })

  it('does not replace the unsealed file when the sector key does not decode the update', async () => {
    const s = await updatedSector(store, 3, 2048, bytesFrom('c', 2032))
    const key = readFileSync(s.paths.sealed)
    key[40] ^= 1
    writeFileSync(s.paths.sealed, key)
    await expect(decodeReplicaUpdate(store, s.sealed.sector)).rejects.toMatchObject({ code: 'E_UPDATE_MISMATCH' })
    expect(readFileSync(s.paths.unsealed).equals(s.padded)).toBe(true)
    expect(existsSync(`${s.paths.unsealed}.tmp`)).toBe(false)
  })

  it('fails without the sector key cache, and on new data that is not fr32-padded', async () => {
    const s = await sealSector(store, 4)
    const paths = sectorPaths(store, s.sector.id)
    const raw = bytesFrom('raw', 2048)
    raw[31] |= 0xc0
    writeFileSync(paths.unsealed, raw)
    await expect(encodeReplicaUpdate(store, s.sector)).rejects.toMatchObject({ code: 'E_UNSEALED_DATA_INVALID' })
    expect(existsSync(paths.update)).toBe(false)
    rmSync(joinPath(paths.cache, CACHE_FILES.pAux))
    await expect(encodeReplicaUpdate(store, s.sector)).rejects.toMatchObject({ code: 'E_SECTOR_FILE_MISSING' })
  })
})

describe('replica update of an 8 MiB sector (4 partitions, h = 10)', () => {
  let store: SectorStore & { dispose(): void }
  beforeAll(() => {
    store = tempStore()
  })
  afterAll(() => store.dispose())

  it('updates, proves every partition, runs PoSt over both replicas, skips a changed one and decodes the data', async () => {
    const s = await updatedSector(store, 1, 8 << 20, bytesFrom('eight', 127 * 1024))
    const vanilla = await proveReplicaUpdate1(store, s.sealed.sector, s.commitments)
    expect(vanilla).toHaveLength(4)
    const proof = proveReplicaUpdate2(s.sealed.sector, s.commitments, vanilla)
    expect(verifyReplicaUpdate({ updateProof: 1, ...s.commitments, proof })).toEqual({ valid: true })
    const randomness = fieldBytes('8 MiB snap')
    const sector = { sealProof: s.sealed.sector.proofType, sectorNumber: 1n, commR: s.commitments.commRNew, sectorKey: s.commitments.commROld }
    const post = await generateWindowPoSt(store, { postProof: 11, minerId: MINER, randomness, sectors: [sector] })
    expect(verifyWindowPoSt({ postProof: 11, randomness, sectors: [{ sectorNumber: 1n, commR: s.commitments.commRNew }], proofs: post.proofs })).toEqual({ valid: true })
    const key = { ...sector, commR: s.commitments.commROld, sectorKey: null }
    const old = await generateWindowPoSt(store, { postProof: 11, minerId: MINER, randomness, sectors: [key] })
    expect(verifyWindowPoSt({ postProof: 11, randomness, sectors: [{ sectorNumber: 1n, commR: s.commitments.commROld }], proofs: old.proofs })).toEqual({ valid: true })
    // One changed node of the update under a challenged leaf: only its 512-leaf subtree is rebuilt, and it no longer fits.
    const leaf = sectorChallenges(11, postRandomness(randomness), 1n, 0)[4]
    const replica = readFileSync(s.paths.update)
    replica[32 * leaf + 5] ^= 0x10
    writeFileSync(s.paths.update, replica)
    const after = await generateWindowPoSt(store, { postProof: 11, minerId: MINER, randomness, sectors: [sector] })
    expect(after.skipped).toMatchObject([{ sectorNumber: 1n, reason: 'E_TREE_R_PROOF_INVALID' }])
    replica[32 * leaf + 5] ^= 0x10
    writeFileSync(s.paths.update, replica)
    rmSync(s.paths.unsealed)
    await decodeReplicaUpdate(store, s.sealed.sector)
    expect(sha(readFileSync(s.paths.unsealed))).toBe(sha(s.padded))
  }, 60_000)
})

/** CommR_old, CommR_new, CommD_new and the proof's SHA-256 for sector 7 of miner 1000 (CC, ticket fieldBytes('ticket-7')) updated with bytesFrom('new deal data', 2032). */
const GOLDEN = [
  'b1243f3d295fa64ad593c48baa6556d83211977073060376cf911ef1b1148c33',
  'e103d7f3c0f3c122a8fa241add73d6e5f0b3b7a393aaf3f03f8c47b0b13f052d',
  'dd338954541d41b2982541255cbe723d509d9be7b2a22e7c247e3087aab86533',
  'cafc7da9fe5179aed07ee9d73337afff2a2d7d187931c9d05ce9ff27d3526478',
]
