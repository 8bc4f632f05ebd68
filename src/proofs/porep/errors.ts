/** Errors of the sealing phases (prover side; verification reports failures as results). */
import { ProofsError } from '../errors.ts'

/** Unsealed sector data with a 32-byte node whose top two bits are set: it was never fr32-padded. */
export class UnsealedDataInvalidError extends ProofsError {
  override name = 'UnsealedDataInvalidError'
  constructor(node: number) {
    super('E_UNSEALED_DATA_INVALID', `unsealed data node ${node} is not fr32-padded (its top two bits are set)`)
  }
}

/** The data's CommD differs from the CommD of the pieces it should hold. */
export class CommDMismatchError extends ProofsError {
  override name = 'CommDMismatchError'
  constructor(expected: string, got: string) {
    super('E_COMMD_MISMATCH', `CommD of the sector data is ${got}, the pieces give ${expected}`)
  }
}

/** A later phase's inputs (ticket, CommD, PreCommit1 output) do not match what the cache was made from. */
export class ReplicaIdMismatchError extends ProofsError {
  override name = 'ReplicaIdMismatchError'
  constructor(what: string) {
    super('E_REPLICA_ID_MISMATCH', `${what} does not match the replica id the sector was sealed with (wrong ticket, CommD or prover?)`)
  }
}

/** The CommR given for a sector is not H(comm_c, comm_r_last) of its cache. */
export class CommRMismatchError extends ProofsError {
  override name = 'CommRMismatchError'
  constructor(path: string) {
    super('E_COMM_R_MISMATCH', `CommR does not match p_aux in ${path}`)
  }
}
