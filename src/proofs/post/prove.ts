/**
 * Winning and Window PoSt provers. Window PoSt checks every sector as it proves it and leaves out the ones
 * that cannot be proven, reporting them as skipped with the failed check's code (Lotus submits them as
 * `PoStPartition.Skipped`, and the actor marks them faulty), instead of failing the whole proof. The proven
 * sectors are split into partitions of the size's `WindowPoStPartitionSectors`; a short last partition is
 * padded by repeating its last sector proof, as rust-fil-proofs `prove_all_partitions` does. Winning PoSt
 * proves exactly one sector and throws `E_POST_SECTOR_UNPROVABLE` when it cannot.
 */
import type { SectorStore } from '../layout/paths.ts'
import { yieldToEventLoop } from '../sdr/yield.ts'
import { WINNING_POST_SECTOR_COUNT } from '../sector/params.ts'
import { sectorSizeOfPoStProof, sectorSizeOfSealProof } from '../sector/proof-types.ts'
import { sectorParams } from '../sector/params.ts'
import { toU64 } from '../sector/sector-id.ts'
import { checkPoStKind, postRandomness, sectorChallenges } from './challenges.ts'
import { PoStDuplicateSectorError, PoStSectorCountError, PoStSectorSizeMismatchError, PoStSectorUnprovableError } from './errors.ts'
import { encodePartitionPoStProof, type SectorPoStProof } from './proof.ts'
import { proveSector } from './sector-proof.ts'
import type { PoStOptions, PoStProof, PoStProveInput, PoStSectorInfo, SkippedSector, WindowPoStResult } from './types.ts'

function checkSectors(input: PoStProveInput): bigint[] {
  const size = sectorSizeOfPoStProof(input.postProof)
  const seen = new Set<bigint>()
  return input.sectors.map((s) => {
    const n = toU64('sector number', s.sectorNumber)
    if (sectorSizeOfSealProof(s.sealProof) !== size) throw new PoStSectorSizeMismatchError(n, s.sealProof, input.postProof)
    if (seen.has(n)) throw new PoStDuplicateSectorError(n)
    seen.add(n)
    return n
  })
}

/** Groups sector proofs into partition proofs, padding the last partition with its last sector. */
export function partitionProofs(postProof: number, perPartition: number, sectors: readonly SectorPoStProof[]): PoStProof[] {
  const out: PoStProof[] = []
  for (let k = 0; k * perPartition < sectors.length; k++) {
    const chunk = sectors.slice(k * perPartition, (k + 1) * perPartition)
    while (chunk.length < perPartition) chunk.push(chunk[chunk.length - 1])
    out.push({ postProof, proofBytes: encodePartitionPoStProof({ postProof, partition: k, sectors: chunk }) })
  }
  return out
}

/** A Window PoSt over `input.sectors`: one proof per partition of the provable sectors, and the skipped ones. */
export async function generateWindowPoSt(store: SectorStore, input: PoStProveInput, options: PoStOptions = {}): Promise<WindowPoStResult> {
  const kind = checkPoStKind(input.postProof, 'window')
  const numbers = checkSectors(input)
  if (numbers.length === 0) throw new PoStSectorCountError('a Window PoSt', 'at least 1', 0)
  const minerId = toU64('miner id', input.minerId)
  const randomness = postRandomness(input.randomness)
  const params = sectorParams(sectorSizeOfPoStProof(input.postProof))
  const skipped: SkippedSector[] = []
  const isSkipped = new Set<number>()
  // Window V1 challenges depend on a sector's position among the proven ones: a skip moves the sectors
  // after it, so their proofs are made again (Lotus retries the same way). V1_1 proofs never move.
  let proofs: SectorPoStProof[] = []
  for (let restart = true; restart; ) {
    restart = false
    proofs = []
    const proven = input.sectors.map((s, i) => [s, i] as const).filter(([, i]) => !isSkipped.has(i))
    for (const [sector, i] of proven) {
      options.signal?.throwIfAborted()
      const proof = tryProve(store, minerId, sector, sectorChallenges(input.postProof, randomness, numbers[i], proofs.length), options)
      options.onProgress?.(i + 1, input.sectors.length)
      await yieldToEventLoop()
      if (proof instanceof PoStSectorUnprovableError) {
        isSkipped.add(i)
        skipped.push({ sectorNumber: numbers[i], reason: proof.reason, message: proof.message })
        if (kind === 'window-v1') {
          restart = true
          break
        }
        continue
      }
      proofs.push(proof)
    }
  }
  return { proofs: partitionProofs(input.postProof, params.windowPostSectorsPerPartition, proofs), skipped }
}

function tryProve(store: SectorStore, minerId: bigint, sector: PoStSectorInfo, challenges: number[], options: PoStOptions): SectorPoStProof | PoStSectorUnprovableError {
  try {
    return proveSector(store, minerId, sector, challenges, options.kernels)
  } catch (err) {
    if (err instanceof PoStSectorUnprovableError) return err
    throw err
  }
}

/** A Winning PoSt over the one challenged sector (see `winningPoStSectorChallenge` for choosing it). */
export async function generateWinningPoSt(store: SectorStore, input: PoStProveInput, options: PoStOptions = {}): Promise<PoStProof[]> {
  checkPoStKind(input.postProof, 'winning')
  const numbers = checkSectors(input)
  if (numbers.length !== WINNING_POST_SECTOR_COUNT) throw new PoStSectorCountError('a Winning PoSt', String(WINNING_POST_SECTOR_COUNT), numbers.length)
  options.signal?.throwIfAborted()
  const randomness = postRandomness(input.randomness)
  const proof = proveSector(store, toU64('miner id', input.minerId), input.sectors[0], sectorChallenges(input.postProof, randomness, numbers[0], 0), options.kernels)
  options.onProgress?.(1, 1)
  return partitionProofs(input.postProof, 1, [proof])
}
