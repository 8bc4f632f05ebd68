/** Sealing helpers of the PoRep tests: one sector sealed with a chosen kernel set, proven and verified. */
import { createHash } from 'node:crypto'
import type { SectorStore } from '../../../src/proofs/layout/index.ts'
import type { SealingKernels } from '../../../src/proofs/kernels/index.ts'
import {
  decodeCommit1Output,
  sealCommit1,
  sealCommit2,
  sealPreCommit1,
  sealPreCommit2,
  verifySeal,
  writeUnsealedSector,
  type SectorRef,
  type VerifyResult,
} from '../../../src/proofs/porep/index.ts'
import { createSectorId, sealProofForSize, type RegisteredSealProof } from '../../../src/proofs/sector/index.ts'
import { bytesFrom, fieldBytes, MINER } from '../post/sealed-sector.ts'

export { bytesFrom, fieldBytes, tempStore } from '../post/sealed-sector.ts'

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
export const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/** A sealed sector and how it was sealed. */
export interface Sealed {
  readonly sector: SectorRef
  readonly ticket: Uint8Array
  readonly payload: Uint8Array
  readonly commR: Uint8Array
  readonly commD: Uint8Array
  readonly kernels: SealingKernels
}

/** The sector ref of sector `number` of the test miner. */
export function sectorRef(number: number, sectorSize: number): SectorRef {
  return { id: createSectorId(MINER, number), proofType: sealProofForSize(sectorSize) as RegisteredSealProof }
}

/** Writes deterministic data for sector `number` and seals it (PreCommit1 and 2) with `kernels`. */
export async function seal(store: SectorStore, number: number, kernels: SealingKernels, sectorSize = 2048): Promise<Sealed> {
  const sector = sectorRef(number, sectorSize)
  const payload = bytesFrom(`payload-${number}`, (sectorSize / 128) * 127)
  await writeUnsealedSector(store, sector, payload)
  const ticket = fieldBytes(`ticket-${number}`)
  const pc1 = await sealPreCommit1(store, sector, ticket, { kernels })
  const { commR, commD } = await sealPreCommit2(store, sector, pc1, { kernels })
  return { sector, ticket, payload, commR, commD, kernels }
}

/** Commit1 output for `seed` (inputs overridable to prove against wrong values). */
export function commit1(store: SectorStore, s: Sealed, seed: Uint8Array, over: Partial<{ ticket: Uint8Array; commR: Uint8Array; commD: Uint8Array }> = {}): Promise<Uint8Array> {
  return sealCommit1(store, s.sector, { ticket: over.ticket ?? s.ticket, seed, commR: over.commR ?? s.commR, commD: over.commD ?? s.commD }, { kernels: s.kernels })
}

/** Commit1 + Commit2: the final proof (Commit2 refuses a proof that does not verify). */
export async function prove(store: SectorStore, s: Sealed, seed: Uint8Array): Promise<Uint8Array> {
  return sealCommit2(await commit1(store, s, seed), { kernels: s.kernels })
}

/** Verifies `proof` for `s`, with public inputs overridable. */
export function verify(s: Sealed, proof: Uint8Array, seed: Uint8Array, over: Partial<{ ticket: Uint8Array; commR: Uint8Array; commD: Uint8Array }> = {}): VerifyResult {
  return verifySeal({ proofType: s.sector.proofType, sectorId: s.sector.id, ticket: over.ticket ?? s.ticket, seed, commR: over.commR ?? s.commR, commD: over.commD ?? s.commD, proof }, { kernels: s.kernels })
}

/** Verifies Commit1's proof as is (without Commit2's check), to see the verifier's reason. */
export function verifyCommit1(c1: Uint8Array, kernels: SealingKernels): VerifyResult {
  return verifySeal(decodeCommit1Output(c1), { kernels })
}
