/**
 * The replica id that makes every sealed copy unique: SHA-256(prover_id ‖ u64_BE(sector_number) ‖ ticket ‖
 * CommD ‖ PoRep id) with the top two bits of the last byte cleared (storage-proofs-porep
 * stacked/vanilla/params.rs `generate_replica_id`).
 */
import { createHash } from 'node:crypto'
import { checkBytes32, u64be } from '../sector/sector-id.ts'

/** Inputs of the replica id. */
export interface ReplicaIdInputs {
  proverId: Uint8Array
  sectorNumber: bigint
  ticket: Uint8Array
  commD: Uint8Array
  porepId: Uint8Array
}

/** The 32-byte replica id. */
export function replicaId(inputs: ReplicaIdInputs): Uint8Array {
  const hash = createHash('sha256')
    .update(checkBytes32('prover id', inputs.proverId))
    .update(u64be(inputs.sectorNumber))
    .update(checkBytes32('ticket', inputs.ticket))
    .update(checkBytes32('CommD', inputs.commD))
    .update(checkBytes32('PoRep id', inputs.porepId))
    .digest()
  const id = new Uint8Array(hash)
  id[31] &= 0x3f
  return id
}
