/** Types of Winning and Window PoSt. */
import type { SealingKernels } from '../kernels/types.ts'
import type { RegisteredSealProof } from '../sector/proof-types.ts'

/**
 * A sector to prove (Lotus `ExtendedSectorInfo`). `commR` is the CommR on chain (`SealedCID`); a sector
 * with a `sectorKey` (the CommR it was sealed with, on chain `SectorKeyCID`) was upgraded by a replica
 * update and is proven over `update/` and `update-cache/` instead of `sealed/` and `cache/`.
 */
export interface PoStSectorInfo {
  readonly sealProof: RegisteredSealProof
  readonly sectorNumber: number | bigint
  readonly commR: Uint8Array
  readonly sectorKey?: Uint8Array | null
}

/** A sector the verifier checks against: its number and on-chain CommR. */
export interface PoStChallengedSector {
  readonly sectorNumber: number | bigint
  readonly commR: Uint8Array
}

/** A proof as Lotus carries it (`proof.PoStProof`): the registered PoSt proof and the bytes. */
export interface PoStProof {
  readonly postProof: number
  readonly proofBytes: Uint8Array
}

/** A sector a Window PoSt left out, and why (the code of the check that failed). */
export interface SkippedSector {
  readonly sectorNumber: bigint
  readonly reason: string
  readonly message: string
}

/** Inputs shared by both provers. */
export interface PoStProveInput {
  /** The registered PoSt proof: Winning 0..4, Window V1 5..9 or Window V1_1 10..14. */
  readonly postProof: number
  /** The miner's actor id: names the sector files (`s-t0<miner>-<number>`). */
  readonly minerId: number | bigint
  /** Chain randomness (32 bytes); its top two bits are cleared as Lotus does before proving. */
  readonly randomness: Uint8Array
  readonly sectors: readonly PoStSectorInfo[]
}

/** Options of the provers. */
export interface PoStOptions {
  kernels?: SealingKernels
  signal?: AbortSignal
  /** Sectors checked so far. */
  onProgress?: (done: number, total: number) => void
}

/** What a Window PoSt produces: one proof per partition, and the sectors it skipped. */
export interface WindowPoStResult {
  readonly proofs: readonly PoStProof[]
  readonly skipped: readonly SkippedSector[]
}

/** Public inputs of a PoSt verification. */
export interface PoStVerifyInput {
  readonly postProof: number
  /** The same chain randomness the prover was given. */
  readonly randomness: Uint8Array
  /** The challenged sectors, in order, without the skipped ones. */
  readonly sectors: readonly PoStChallengedSector[]
  readonly proofs: readonly PoStProof[]
}
