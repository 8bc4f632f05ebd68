/** Errors of replica updates (snap deals), prover side; verification reports failures as results. */
import { ProofsError } from '../errors.ts'

/** Data decoded from an update, or a regenerated sector key, does not give the commitment it must. */
export class UpdateMismatchError extends ProofsError {
  override name = 'UpdateMismatchError'
  constructor(what: string, path: string) {
    super('E_UPDATE_MISMATCH', `${what} of ${path} does not match the update's commitments (wrong or altered sector key, replica or data)`)
  }
}

/** The public inputs given for an update proof are not the ones of the files on disk. */
export class UpdateInputsMismatchError extends ProofsError {
  override name = 'UpdateInputsMismatchError'
  constructor(what: string) {
    super('E_UPDATE_INPUTS_MISMATCH', `${what} does not match the sector's update-cache`)
  }
}

/** Vanilla partition proofs that are not one per partition of the update proof type. */
export class UpdatePartitionCountError extends ProofsError {
  override name = 'UpdatePartitionCountError'
  constructor(expected: number, got: number) {
    super('E_UPDATE_PARTITION_COUNT', `a replica update proof has ${expected} partitions, got ${got}`)
  }
}
