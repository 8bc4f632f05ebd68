/** Errors of proof encoding. */
import { ProofsError } from '../errors.ts'

/** Proof bytes that do not decode: truncated, trailing bytes, wrong tag, counts that do not match the type. */
export class ProofMalformedError extends ProofsError {
  override name = 'ProofMalformedError'
  constructor(what: string, why: string) {
    super('E_PROOF_MALFORMED', `malformed ${what}: ${why}`)
  }
}
