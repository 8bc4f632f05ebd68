/** Errors of sector parameters and identifiers. */
import { ProofsError } from '../errors.ts'

/** A registered proof id that is not one petal implements for this kind of proof. */
export class ProofTypeInvalidError extends ProofsError {
  override name = 'ProofTypeInvalidError'
  constructor(kind: 'seal' | 'post' | 'update', proof: unknown) {
    super('E_PROOF_TYPE_INVALID', `${String(proof)} is not a supported ${kind} proof type`)
  }
}

/** A sector number or miner id that is not a non-negative 64-bit integer. */
export class SectorIdInvalidError extends ProofsError {
  override name = 'SectorIdInvalidError'
  constructor(what: string, value: unknown) {
    super('E_SECTOR_ID_INVALID', `${what} must be an integer in 0..2^64-1, got ${typeof value === 'bigint' ? value.toString() : JSON.stringify(value)}`)
  }
}

/** A 32-byte value (ticket, seed, commitment, prover id, randomness) of the wrong length. */
export class Bytes32InvalidError extends ProofsError {
  override name = 'Bytes32InvalidError'
  constructor(what: string, length: number) {
    super('E_BYTES32_INVALID', `${what} must be 32 bytes, got ${length}`)
  }
}

/** A 32-byte value that must be a BLS12-381 scalar (top two bits clear) but is not. */
export class NotAFieldElementError extends ProofsError {
  override name = 'NotAFieldElementError'
  constructor(what: string) {
    super('E_NOT_A_FIELD_ELEMENT', `${what} is not a valid field element (its top two bits are set)`)
  }
}
