/**
 * Lotus's `CheckProvable` (storage/sealer/faults.go): before a Window PoSt, or when declaring recoveries,
 * try a vanilla proof of each sector at fresh random challenges. A sector that fails is reported with the
 * code of the failed check (missing file, wrong size, p_aux not giving CommR, replica changed).
 */
import { randomBytes } from 'node:crypto'
import type { SectorStore } from '../layout/paths.ts'
import { yieldToEventLoop } from '../sdr/yield.ts'
import { sealProofForSize, sectorSizeOfSealProof, windowPostProofOf } from '../sector/proof-types.ts'
import { toU64 } from '../sector/sector-id.ts'
import { postRandomness, sectorChallenges } from './challenges.ts'
import { PoStSectorUnprovableError } from './errors.ts'
import { proveSector } from './sector-proof.ts'
import type { PoStOptions, PoStSectorInfo } from './types.ts'

/** The outcome of checking one sector. */
export type SectorCheck = { sectorNumber: bigint; provable: true } | { sectorNumber: bigint; provable: false; reason: string; message: string }

/** Checks every sector; never throws for an unprovable sector. */
export async function checkProvable(store: SectorStore, minerId: number | bigint, sectors: readonly PoStSectorInfo[], options: PoStOptions = {}): Promise<SectorCheck[]> {
  const miner = toU64('miner id', minerId)
  const out: SectorCheck[] = []
  for (const [i, sector] of sectors.entries()) {
    options.signal?.throwIfAborted()
    const sectorNumber = toU64('sector number', sector.sectorNumber)
    const postProof = windowPostProofOf(sealProofForSize(sectorSizeOfSealProof(sector.sealProof)))
    const randomness = postRandomness(randomBytes(32))
    try {
      proveSector(store, miner, sector, sectorChallenges(postProof, randomness, sectorNumber, 0), options.kernels)
      out.push({ sectorNumber, provable: true })
    } catch (err) {
      if (!(err instanceof PoStSectorUnprovableError)) throw err
      out.push({ sectorNumber, provable: false, reason: err.reason, message: err.message })
    }
    options.onProgress?.(i + 1, sectors.length)
    await yieldToEventLoop()
  }
  return out
}
