import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHE_FILES, sectorPaths, type SectorStore } from '../../../src/proofs/layout/index.ts'
import { joinPath } from '../../../src/proofs/layout/fs.ts'
import {
  checkProvable,
  decodePartitionPoStProof,
  generateWindowPoSt,
  generateWinningPoSt,
  verifyWindowPoSt,
  verifyWinningPoSt,
  type PoStSectorInfo,
} from '../../../src/proofs/post/index.ts'
import { typescriptKernels } from '../../../src/proofs/kernels/index.ts'
import { fieldBytes, MINER, sealSector, tempStore, type SealedSector } from './sealed-sector.ts'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'

const WINNING_2K = 0
const WINDOW_2K = 10
const info = (s: SealedSector): PoStSectorInfo => ({ sealProof: s.sector.proofType, sectorNumber: s.sector.id.number, commR: s.commR })
const challenged = (s: SealedSector) => ({ sectorNumber: s.sector.id.number, commR: s.commR })

describe('Winning and Window PoSt over 2 KiB sectors', () => {
  let store: SectorStore & { dispose(): void }
  let sectors: SealedSector[]
  const randomness = new Uint8Array(32).fill(0xab) // top bits set: the prover clears them

  beforeAll(async () => {
    store = tempStore()
    sectors = []
    for (let n = 1; n <= 3; n++) sectors.push(await sealSector(store, n))
  })
  afterAll(() => store.dispose())

  it('proves and verifies a Winning PoSt with 66 challenges of one sector', async () => {
    const proofs = await generateWinningPoSt(store, { postProof: WINNING_2K, minerId: MINER, randomness, sectors: [info(sectors[0])] })
    expect(proofs).toHaveLength(1)
    const decoded = decodePartitionPoStProof(proofs[0].proofBytes)
    expect(decoded.sectors).toHaveLength(1)
    expect(decoded.sectors[0].inclusionProofs).toHaveLength(66)
    expect(verifyWinningPoSt({ postProof: WINNING_2K, randomness, sectors: [challenged(sectors[0])], proofs })).toEqual({ valid: true })
  })

  it('proves three sectors in two Window PoSt partitions, the last padded, and verifies them', async () => {
    const result = await generateWindowPoSt(store, { postProof: WINDOW_2K, minerId: MINER, randomness, sectors: sectors.map(info) }, { kernels: typescriptKernels })
    expect(result.skipped).toEqual([])
    expect(result.proofs).toHaveLength(2)
    const last = decodePartitionPoStProof(result.proofs[1].proofBytes)
    expect(last.sectors.map((s) => s.sectorNumber)).toEqual([3n, 3n])
    expect(last.sectors[0].inclusionProofs).toHaveLength(10)
    expect(verifyWindowPoSt({ postProof: WINDOW_2K, randomness, sectors: sectors.map(challenged), proofs: result.proofs })).toEqual({ valid: true })
  })

  it('makes a Window V1 proof whose challenges follow the sector positions', async () => {
    const result = await generateWindowPoSt(store, { postProof: 5, minerId: MINER, randomness, sectors: sectors.map(info) })
    expect(verifyWindowPoSt({ postProof: 5, randomness, sectors: sectors.map(challenged), proofs: result.proofs })).toEqual({ valid: true })
    const swapped = [challenged(sectors[1]), challenged(sectors[0]), challenged(sectors[2])]
    expect(verifyWindowPoSt({ postProof: 5, randomness, sectors: swapped, proofs: result.proofs })).toMatchObject({ valid: false, reason: 'E_SECTOR_MISMATCH' })
  })

  it('rejects a valid proof checked against another CommR, other randomness or too few partitions', async () => {
    const result = await generateWindowPoSt(store, { postProof: WINDOW_2K, minerId: MINER, randomness, sectors: sectors.slice(0, 2).map(info) })
    const wrongCommR = [challenged(sectors[0]), { ...challenged(sectors[1]), commR: sectors[2].commR }]
    expect(verifyWindowPoSt({ postProof: WINDOW_2K, randomness, sectors: wrongCommR, proofs: result.proofs })).toMatchObject({ valid: false, reason: 'E_COMM_R_MISMATCH' })
    expect(verifyWindowPoSt({ postProof: WINDOW_2K, randomness: fieldBytes('other'), sectors: sectors.slice(0, 2).map(challenged), proofs: result.proofs })).toMatchObject({ valid: false, reason: 'E_TREE_R_PROOF_INVALID' })
    expect(verifyWindowPoSt({ postProof: WINDOW_2K, randomness, sectors: sectors.map(challenged), proofs: result.proofs })).toMatchObject({ valid: false, reason: 'E_PARTITION_COUNT_MISMATCH' })
    expect(verifyWindowPoSt({ postProof: 11, randomness, sectors: sectors.slice(0, 2).map(challenged), proofs: result.proofs })).toMatchObject({ valid: false, reason: 'E_PROOF_TYPE_MISMATCH' })
  })

  it('rejects altered proof bytes with a typed reason', async () => {
    const [proof] = await generateWinningPoSt(store, { postProof: WINNING_2K, minerId: MINER, randomness, sectors: [info(sectors[0])] })
    const verify = (proofBytes: Uint8Array) => verifyWinningPoSt({ postProof: WINNING_2K, randomness, sectors: [challenged(sectors[0])], proofs: [{ postProof: WINNING_2K, proofBytes }] })
    expect(verify(proof.proofBytes.subarray(0, proof.proofBytes.length - 1))).toMatchObject({ valid: false, reason: 'E_PROOF_MALFORMED' })
    const flipped = proof.proofBytes.slice()
    flipped[flipped.length - 40] ^= 1
    expect(verify(flipped)).toMatchObject({ valid: false, reason: 'E_TREE_R_PROOF_INVALID' })
  })

  it('keeps a golden hash of the proof bytes for a fixed 2 KiB sector', async () => {
    const [winning] = await generateWinningPoSt(store, { postProof: WINNING_2K, minerId: MINER, randomness, sectors: [info(sectors[0])] })
    const window = await generateWindowPoSt(store, { postProof: WINDOW_2K, minerId: MINER, randomness, sectors: [info(sectors[0])] })
    expect(Buffer.from(sectors[0].commR).toString('hex')).toBe(GOLDEN.commR)
    expect(createHash('sha256').update(winning.proofBytes).digest('hex')).toBe(GOLDEN.winning)
    expect(createHash('sha256').update(window.proofs[0].proofBytes).digest('hex')).toBe(GOLDEN.window)
  })
})

describe('PoSt over sectors that cannot be proven', () => {
  let store: SectorStore & { dispose(): void }
  let sectors: SealedSector[]
  const randomness = fieldBytes('faults')

  beforeAll(async () => {
    store = tempStore()
    sectors = []
    for (let n = 1; n <= 4; n++) sectors.push(await sealSector(store, n))
    // 1: a flipped replica byte; 2: no p_aux; 3: proven against the wrong CommR; 4: healthy.
    const sealed = sectorPaths(store, sectors[0].sector.id).sealed
    const bytes = readFileSync(sealed)
    bytes[100] ^= 0x01
    writeFileSync(sealed, bytes)
    rmSync(joinPath(sectorPaths(store, sectors[1].sector.id).cache, CACHE_FILES.pAux))
  })
  afterAll(() => store.dispose())

  const infos = () => [info(sectors[0]), info(sectors[1]), { ...info(sectors[2]), commR: sectors[3].commR }, info(sectors[3])]

  it('skips each unprovable sector with the reason and proves the rest', async () => {
    const result = await generateWindowPoSt(store, { postProof: WINDOW_2K, minerId: MINER, randomness, sectors: infos() })
    expect(result.skipped.map((s) => [s.sectorNumber, s.reason])).toEqual([
      [1n, 'E_TREE_R_PROOF_INVALID'],
      [2n, 'E_SECTOR_FILE_MISSING'],
      [3n, 'E_COMM_R_MISMATCH'],
    ])
    expect(result.proofs).toHaveLength(1)
    expect(verifyWindowPoSt({ postProof: WINDOW_2K, randomness, sectors: [challenged(sectors[3])], proofs: result.proofs })).toEqual({ valid: true })
  })

  it('re-proves the sectors after a skip when Window V1 challenges depend on position', async () => {
    const result = await generateWindowPoSt(store, { postProof: 5, minerId: MINER, randomness, sectors: [info(sectors[0]), info(sectors[3])] })
    expect(result.skipped.map((s) => s.sectorNumber)).toEqual([1n])
    expect(verifyWindowPoSt({ postProof: 5, randomness, sectors: [challenged(sectors[3])], proofs: result.proofs })).toEqual({ valid: true })
  })

  it('reports a missing tree_r_last and a missing replica as skipped', async () => {
    const s = await sealSector(store, 9)
    const paths = sectorPaths(store, s.sector.id)
    rmSync(joinPath(paths.cache, CACHE_FILES.treeRLast))
    const t = await sealSector(store, 10)
    rmSync(sectorPaths(store, t.sector.id).sealed)
    const result = await generateWindowPoSt(store, { postProof: WINDOW_2K, minerId: MINER, randomness, sectors: [info(s), info(t)] })
    expect(result.skipped.map((x) => x.reason)).toEqual(['E_SECTOR_FILE_MISSING', 'E_SECTOR_FILE_MISSING'])
    expect(result.proofs).toEqual([])
  })

  it('fails a Winning PoSt over an unprovable sector with a typed error', async () => {
    await expect(generateWinningPoSt(store, { postProof: WINNING_2K, minerId: MINER, randomness, sectors: [info(sectors[0])] })).rejects.toMatchObject({
      code: 'E_POST_SECTOR_UNPROVABLE',
      reason: 'E_TREE_R_PROOF_INVALID',
    })
  })

  it('checks sectors the way Lotus CheckProvable does', async () => {
    const checks = await checkProvable(store, MINER, infos())
    expect(checks.map((c) => (c.provable ? 'ok' : c.reason))).toEqual(['E_TREE_R_PROOF_INVALID', 'E_SECTOR_FILE_MISSING', 'E_COMM_R_MISMATCH', 'ok'])
  })

  it('rejects bad requests with typed errors', async () => {
    const ok = info(sectors[3])
    await expect(generateWindowPoSt(store, { postProof: WINDOW_2K, minerId: MINER, randomness, sectors: [ok, ok] })).rejects.toMatchObject({ code: 'E_POST_DUPLICATE_SECTOR' })
    await expect(generateWindowPoSt(store, { postProof: 11, minerId: MINER, randomness, sectors: [ok] })).rejects.toMatchObject({ code: 'E_POST_SECTOR_SIZE_MISMATCH' })
    await expect(generateWindowPoSt(store, { postProof: WINNING_2K, minerId: MINER, randomness, sectors: [ok] })).rejects.toMatchObject({ code: 'E_PROOF_TYPE_INVALID' })
    await expect(generateWinningPoSt(store, { postProof: WINNING_2K, minerId: MINER, randomness, sectors: [ok, info(sectors[2])] })).rejects.toMatchObject({ code: 'E_POST_SECTOR_COUNT' })
    expect(() => verifyWindowPoSt({ postProof: WINDOW_2K, randomness, sectors: [], proofs: [] })).toThrow(expect.objectContaining({ code: 'E_POST_SECTOR_COUNT' }))
  })
})

/**
 * petal's own outputs for sector 1 of miner 1000 sealed from bytesFrom('payload-1', 2032) with ticket
 * fieldBytes('ticket-1'), proven at randomness 0xab × 32: they change only if the scheme changes.
 */
const GOLDEN = {
  commR: 'cdc56ba7a02e2491a71c83c581fb60386dcb7baf5124f0c00f18661729f23020',
  winning: '5e608ab4388b8a00192f3385fca8961eec8a99a0d6c6f5015713e1b96610f641',
  window: '104eccb2c4e76454312d6f42ca4506c1e40eec04fd43bbafcbf8117234c15a97',
}
