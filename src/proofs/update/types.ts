/** Types of replica updates (snap deals). */
import type { PhaseOptions } from '../porep/types.ts'

/** The commitments of an update (Lotus `ReplicaUpdateOut` plus the sector key). */
export interface UpdateCommitments {
  /** CommR of the sector key replica (on chain: `SectorKeyCID`). */
  readonly commROld: Uint8Array
  /** CommR of the updated replica (on chain: the new `SealedCID`), H(comm_c, comm_r_last_new). */
  readonly commRNew: Uint8Array
  /** CommD of the new data (the new `UnsealedCID`). */
  readonly commDNew: Uint8Array
}

/** The public inputs of an update proof. */
export interface UpdateVerifyInfo extends UpdateCommitments {
  /** RegisteredUpdateProof 0..4. */
  readonly updateProof: number
  readonly proof: Uint8Array
}

/** Reads `into.length / 32` nodes of a replica or key starting at node `first`. */
export type NodeSource = (into: Uint8Array, first: number) => void

/** Options of the update phases that stream a whole sector. */
export interface UpdatePhaseOptions extends PhaseOptions {
  /** Where the new data is read from (encode) or written to (decode): default `unsealed/<name>`. */
  dataPath?: string
}
