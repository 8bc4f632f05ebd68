/**
 * Commit2: the final seal proof. Filecoin compresses the vanilla proof into Groth16 SNARKs here; petal's
 * final proof is the vanilla proof itself (SNARK compression is future work), checked before it is
 * returned so that a prover never submits a proof that does not verify.
 */
import type { SealingKernels } from '../kernels/types.ts'
import { decodeCommit1Output } from './commit1.ts'
import { assertValid } from './result.ts'
import { verifySeal } from './verify.ts'

/** Runs Commit2 on Commit1's output; returns the proof bytes, or throws `E_PROOF_INVALID`. */
export function sealCommit2(commit1Output: Uint8Array, options: { kernels?: SealingKernels } = {}): Uint8Array {
  const info = decodeCommit1Output(commit1Output)
  assertValid(verifySeal(info, options))
  return info.proof
}
