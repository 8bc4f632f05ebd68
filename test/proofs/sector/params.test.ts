/**
 * Sector parameters against the table of the sealing notes (§3.1, from rust-fil-proofs constants.rs and
 * storage-proofs-update constants.rs): nodes, layers, PoRep partitions × challenges, tree_r_last shape,
 * Window PoSt sectors per partition, snap partitions × challenges, h and apex leaves.
 */
import { describe, expect, it } from 'vitest'
import {
  SECTOR_PARAMS,
  formatSectorSize,
  parseSectorSize,
  porepId,
  sealProofForSize,
  sectorParams,
  sectorSizeOfSealProof,
  updateProofOf,
  windowPostProofOf,
  winningPostProofOf,
} from '../../../src/proofs/sector/index.ts'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB

// sector, nodes log2, layers, [partitions, challenges], tree_r arities, window sectors, [snap partitions, challenges], h, apex leaves, sealable
const TABLE = [
  [2 * KiB, 6, 2, [1, 2], [8, 8], 2, [1, 10], 1, 8, true],
  [8 * MiB, 18, 2, [1, 2], [8, 8, 8, 8, 8, 8], 2, [4, 10], 10, 128, true],
  [512 * MiB, 24, 2, [1, 2], [8, 8, 8, 8, 8, 8, 8, 8], 2, [16, 86], 10, 128, true],
  [32 * GiB, 30, 11, [10, 18], new Array(10).fill(8), 2349, [16, 86], 10, 128, false],
  [64 * GiB, 31, 11, [10, 18], [...new Array(10).fill(8), 2], 2300, [16, 86], 10, 128, false],
] as const

describe('sector parameters', () => {
  for (const [size, log2, layers, porep, arities, window, snap, h, apex, sealable] of TABLE) {
    it(`${formatSectorSize(size)} matches the notes' table`, () => {
      const p = sectorParams(size)
      expect(p).toMatchObject({
        sectorSize: size,
        nodes: 2 ** log2,
        nodesLog2: log2,
        layers,
        porepPartitions: porep[0],
        porepChallengesPerPartition: porep[1],
        windowPostSectorsPerPartition: window,
        updatePartitions: snap[0],
        updateChallengesPerPartition: snap[1],
        updateH: h,
        updateApexLeaves: apex,
        sealable,
      })
      expect([...p.treeRArities]).toEqual([...arities])
      expect(p.treeRArities.reduce((a, b) => a * b, 1)).toBe(p.nodes)
      expect(parseSectorSize(formatSectorSize(size))).toBe(size)
    })
  }

  it('32 GiB proves 10 × 18 = 180 PoRep challenges and 16 × 86 = 1376 snap challenges', () => {
    const p = sectorParams(32 * GiB)
    expect(p.porepPartitions * p.porepChallengesPerPartition).toBe(180)
    expect(p.updatePartitions * p.updateChallengesPerPartition).toBe(1376)
  })

  it('maps sizes to the V1_1 proof types and PoRep ids of Filecoin', () => {
    expect([2 * KiB, 8 * MiB, 512 * MiB, 32 * GiB, 64 * GiB].map(sealProofForSize)).toEqual([5, 6, 7, 8, 9])
    expect(sectorSizeOfSealProof(8)).toBe(32 * GiB)
    expect(winningPostProofOf(8)).toBe(3)
    expect(windowPostProofOf(8)).toBe(13)
    expect(updateProofOf(8)).toBe(3)
    expect(Buffer.from(porepId(8)).toString('hex')).toBe('08' + '00'.repeat(31))
    expect(SECTOR_PARAMS.size).toBe(5)
  })

  it('refuses other sizes and proof types with typed errors', () => {
    for (const bad of [4 * KiB, 16 * MiB, 0, -1, 1.5]) expect(() => sectorParams(bad)).toThrow(expect.objectContaining({ code: 'E_SECTOR_SIZE_INVALID' }))
    for (const bad of ['3KiB', '8 MB', 'lots']) expect(() => parseSectorSize(bad)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^E_/) }))
    for (const bad of [0, 4, 10, 2.5]) expect(() => sectorSizeOfSealProof(bad)).toThrow(expect.objectContaining({ code: 'E_PROOF_TYPE_INVALID' }))
  })
})
