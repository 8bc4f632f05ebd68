/** Types of the sealing phases. */
import type { PieceRef } from '../commd/commd.ts'
import type { SealingKernels } from '../kernels/types.ts'
import type { RegisteredSealProof } from '../sector/proof-types.ts'
import type { SectorId } from '../sector/sector-id.ts'

/** A sector and its seal proof type (Lotus `storiface.SectorRef`). */
export interface SectorRef {
  readonly id: SectorId
  readonly proofType: RegisteredSealProof
}

/** Options every long phase takes. */
export interface PhaseOptions {
  /** Kernels to run (default: native when installed, else TypeScript). */
  kernels?: SealingKernels
  signal?: AbortSignal
  /** Work done so far, in phase-specific units (nodes). */
  onProgress?: (done: number, total: number) => void
}

/** What PreCommit1 hands to PreCommit2 (Lotus `PreCommit1Out`); `encodePreCommit1Output` persists it. */
export interface PreCommit1Output {
  readonly proofType: RegisteredSealProof
  readonly sectorId: SectorId
  readonly proverId: Uint8Array
  readonly ticket: Uint8Array
  readonly commD: Uint8Array
  readonly replicaId: Uint8Array
}

/** The sealed and unsealed commitments (Lotus `SectorCids`). */
export interface SectorCommitments {
  readonly commR: Uint8Array
  readonly commD: Uint8Array
}

/** Options of PreCommit1. */
export interface PreCommit1Options extends PhaseOptions {
  /** Default: the ID-address prover id of the sector's miner. */
  proverId?: Uint8Array
  /** When given, CommD must equal the CommD of these pieces (Lotus's check against the deal pieces). */
  pieces?: readonly PieceRef[]
  /** Reuse complete layer files of an interrupted run with the same replica id (default true). */
  resume?: boolean
}

/** The public inputs of a seal proof (Lotus `SealVerifyInfo`). */
export interface SealVerifyInfo {
  readonly proofType: RegisteredSealProof
  readonly sectorId: SectorId
  /** Default: from `sectorId.miner`. */
  readonly proverId?: Uint8Array
  /** The ticket (seal randomness). */
  readonly ticket: Uint8Array
  /** The interactive seed (InteractiveSealChallengeSeed randomness). */
  readonly seed: Uint8Array
  readonly commR: Uint8Array
  readonly commD: Uint8Array
  readonly proof: Uint8Array
}
