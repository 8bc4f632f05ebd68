/**
 * PreCommit1 output as bytes, for the sealing pipeline to persist between phases (Lotus stores its
 * `PreCommit1Out` in the sector record): JSON with hex fields, checked on decode.
 */
import { ProofMalformedError } from '../codec/errors.ts'
import { createSectorId } from '../sector/sector-id.ts'
import { SEAL_PROOF_NAME, sectorSizeOfSealProof, type RegisteredSealProof } from '../sector/proof-types.ts'
import { fromHex, toHex } from './context.ts'
import type { PreCommit1Output } from './types.ts'

/** Encodes a PreCommit1 output. */
export function encodePreCommit1Output(out: PreCommit1Output): Uint8Array {
  const json = {
    proof: SEAL_PROOF_NAME,
    proofType: out.proofType,
    miner: out.sectorId.miner.toString(),
    number: out.sectorId.number.toString(),
    proverId: toHex(out.proverId),
    ticket: toHex(out.ticket),
    commD: toHex(out.commD),
    replicaId: toHex(out.replicaId),
  }
  return new TextEncoder().encode(JSON.stringify(json))
}

const HEX32 = /^[0-9a-f]{64}$/

/** Decodes a PreCommit1 output; throws `E_PROOF_MALFORMED` for anything else. */
export function decodePreCommit1Output(bytes: Uint8Array): PreCommit1Output {
  let v: Record<string, unknown>
  try {
    v = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>
  } catch {
    throw new ProofMalformedError('PreCommit1 output', 'not JSON')
  }
  const hex = ['proverId', 'ticket', 'commD', 'replicaId'].map((k) => v?.[k])
  if (v?.proof !== SEAL_PROOF_NAME || !hex.every((h) => typeof h === 'string' && HEX32.test(h)) || typeof v.miner !== 'string' || typeof v.number !== 'string' || !/^\d+$/.test(v.miner) || !/^\d+$/.test(v.number)) {
    throw new ProofMalformedError('PreCommit1 output', 'missing or invalid fields')
  }
  try {
    sectorSizeOfSealProof(v.proofType as number)
    return Object.freeze({
      proofType: v.proofType as RegisteredSealProof,
      sectorId: createSectorId(BigInt(v.miner), BigInt(v.number)),
      proverId: fromHex(hex[0] as string),
      ticket: fromHex(hex[1] as string),
      commD: fromHex(hex[2] as string),
      replicaId: fromHex(hex[3] as string),
    })
  } catch (err) {
    throw new ProofMalformedError('PreCommit1 output', (err as Error).message)
  }
}
