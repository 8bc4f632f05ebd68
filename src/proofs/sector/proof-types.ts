/**
 * Registered proof types (go-state-types abi/sector.go) and the PoRep id that seeds the graph. petal's
 * proofs follow Filecoin's StackedDrg*V1_1 algorithms with SHA-256 truncated to 254 bits wherever Filecoin
 * uses Poseidon (tree_c, tree_r_last, CommR, the snap randomness), and vanilla proofs in place of SNARKs.
 * The type names say so: a proof of one kind never verifies as the other.
 */
import { SectorSizeInvalidError } from '../commd/errors.ts'
import { ProofTypeInvalidError } from './errors.ts'
import { type SectorParams, sectorParams } from './params.ts'

/** The name of petal's seal proof (stacked DRG, SHA-256 trees, vanilla). */
export const SEAL_PROOF_NAME = 'petal-sdr-sha256-v1'
/** The name of petal's Winning/Window PoSt proofs (fallback PoSt over tree_r_last, vanilla). */
export const POST_PROOF_NAME = 'petal-post-sha256-v1'
/** The name of petal's replica-update (snap deals) proof (vanilla). */
export const UPDATE_PROOF_NAME = 'petal-snap-sha256-v1'

const SIZES = [2 ** 11, 2 ** 23, 2 ** 29, 2 ** 35, 2 ** 36]

/** RegisteredSealProof StackedDrg{2KiB,8MiB,512MiB,32GiB,64GiB}V1_1 = 5..9. */
export type RegisteredSealProof = 5 | 6 | 7 | 8 | 9
/** RegisteredPoStProof StackedDrgWinning* = 0..4. */
export type RegisteredWinningPoStProof = 0 | 1 | 2 | 3 | 4
/** RegisteredPoStProof StackedDrgWindow*V1_1 = 10..14 (FIP-0061: per-sector challenge indices). */
export type RegisteredWindowPoStProof = 10 | 11 | 12 | 13 | 14
/** RegisteredUpdateProof StackedDrg*V1 = 0..4. */
export type RegisteredUpdateProof = 0 | 1 | 2 | 3 | 4

function sizeIndex(sectorSize: number): number {
  const i = SIZES.indexOf(sectorSize)
  if (i < 0) throw new SectorSizeInvalidError(sectorSize)
  return i
}

/** The V1_1 seal proof of a sector size. */
export function sealProofForSize(sectorSize: number): RegisteredSealProof {
  return (5 + sizeIndex(sectorSize)) as RegisteredSealProof
}

/** The sector size of a seal proof; throws `E_PROOF_TYPE_INVALID` for V1 (0..4) and unknown ids. */
export function sectorSizeOfSealProof(proof: number): number {
  if (!Number.isInteger(proof) || proof < 5 || proof > 9) throw new ProofTypeInvalidError('seal', proof)
  return SIZES[proof - 5]
}

/** The parameters of a seal proof's sector size. */
export function sealProofParams(proof: number): SectorParams {
  return sectorParams(sectorSizeOfSealProof(proof))
}

/** Winning PoSt proof type of a seal proof (lotus `RegisteredSealProof.RegisteredWinningPoStProof`). */
export function winningPostProofOf(seal: RegisteredSealProof): RegisteredWinningPoStProof {
  return (sectorSizeIndexOf(seal)) as RegisteredWinningPoStProof
}

/** Window PoSt V1_1 proof type of a seal proof. */
export function windowPostProofOf(seal: RegisteredSealProof): RegisteredWindowPoStProof {
  return (10 + sectorSizeIndexOf(seal)) as RegisteredWindowPoStProof
}

/** Replica-update proof type of a seal proof. */
export function updateProofOf(seal: RegisteredSealProof): RegisteredUpdateProof {
  return sectorSizeIndexOf(seal) as RegisteredUpdateProof
}

/** The sector size of a PoSt proof type (winning 0..4, window V1 5..9, window V1_1 10..14). */
export function sectorSizeOfPoStProof(proof: number): number {
  if (!Number.isInteger(proof) || proof < 0 || proof > 14) throw new ProofTypeInvalidError('post', proof)
  return SIZES[proof % 5]
}

/** The sector size of an update proof type (0..4). */
export function sectorSizeOfUpdateProof(proof: number): number {
  if (!Number.isInteger(proof) || proof < 0 || proof > 4) throw new ProofTypeInvalidError('update', proof)
  return SIZES[proof]
}

function sectorSizeIndexOf(seal: RegisteredSealProof): number {
  return sizeIndex(sectorSizeOfSealProof(seal))
}

/**
 * The PoRep id of a seal proof: u64 LE registered proof id ‖ u64 LE nonce (0) ‖ 16 zero bytes
 * (rust-filecoin-proofs-api registry.rs `porep_id`). It seeds the DRG and the expander permutation and is
 * hashed into the replica id.
 */
export function porepId(proof: number): Uint8Array {
  sectorSizeOfSealProof(proof)
  const id = new Uint8Array(32)
  id[0] = proof
  return id
}
