/**
 * The outcome of verifying a proof. A proof that does not verify is an answer, not an exception: the
 * verifier says which check failed with a stable reason code (bad inputs such as a wrong-length
 * commitment still throw). Provers that check their own output throw `E_PROOF_INVALID` with that reason.
 */
import { ProofsError } from '../errors.ts'

/** Why a proof was rejected. */
export type VerifyFailure =
  | 'E_PROOF_MALFORMED'
  | 'E_PROOF_TYPE_MISMATCH'
  | 'E_COMM_R_MISMATCH'
  | 'E_COMM_R_OLD_MISMATCH'
  | 'E_COMM_R_NEW_MISMATCH'
  | 'E_CHALLENGE_MISMATCH'
  | 'E_TREE_D_PROOF_INVALID'
  | 'E_TREE_R_PROOF_INVALID'
  | 'E_TREE_R_OLD_PROOF_INVALID'
  | 'E_TREE_C_PROOF_INVALID'
  | 'E_LABEL_MISMATCH'
  | 'E_ENCODING_MISMATCH'
  | 'E_APEX_MISMATCH'
  | 'E_SECTOR_MISMATCH'
  | 'E_SECTOR_COUNT_MISMATCH'
  | 'E_PARTITION_COUNT_MISMATCH'

/** Valid, or the first failed check. */
export type VerifyResult = { valid: true } | { valid: false; reason: VerifyFailure; message: string }

/** The valid result. */
export const VALID: VerifyResult = Object.freeze({ valid: true })

/** A rejection. */
export function invalid(reason: VerifyFailure, message: string): VerifyResult {
  return { valid: false, reason, message }
}

/** A proof the prover made does not verify (its inputs or files are inconsistent). */
export class ProofInvalidError extends ProofsError {
  override name = 'ProofInvalidError'
  constructor(readonly reason: VerifyFailure, message: string) {
    super('E_PROOF_INVALID', `proof does not verify (${reason}): ${message}`)
  }
}

/** Throws `E_PROOF_INVALID` unless `result` is valid. */
export function assertValid(result: VerifyResult): void {
  if (!result.valid) throw new ProofInvalidError(result.reason, result.message)
}
