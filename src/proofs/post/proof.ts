/**
 * The vanilla PoSt proof of one partition and its bytes (storage-proofs-post fallback/vanilla.rs `Proof`,
 * `SectorProof`): per sector, comm_c, comm_r_last and one tree_r_last inclusion proof per challenged
 * leaf. The verifier recomputes the challenges itself, so they are not encoded; the sector number is, so
 * a proof for the wrong sector is named as such.
 *
 * Bytes: "PPST" ‖ u8 version ‖ u8 PoSt proof ‖ u32 partition ‖ u16 sectors ‖ per sector: u64 sector number
 * ‖ comm_c ‖ comm_r_last ‖ u16 challenges ‖ per challenge: leaf ‖ path (length from the sector size).
 */
import { ByteReader, ByteWriter, tagBytes } from '../codec/bytes.ts'
import type { InclusionProof } from '../merkle/proof.ts'
import { proofSiblings } from '../merkle/shape.ts'
import { sectorTrees } from '../porep/context.ts'
import { sectorParams } from '../sector/params.ts'
import { sectorSizeOfPoStProof } from '../sector/proof-types.ts'
import { challengesPerSector, postKind } from './challenges.ts'

const TAG = 'PPST'
const VERSION = 1

/** The proof of one sector. */
export interface SectorPoStProof {
  readonly sectorNumber: bigint
  readonly commC: Uint8Array
  readonly commRLast: Uint8Array
  /** One per challenged leaf, in challenge order. */
  readonly inclusionProofs: readonly InclusionProof[]
}

/** The proof of one partition. */
export interface PartitionPoStProof {
  readonly postProof: number
  readonly partition: number
  readonly sectors: readonly SectorPoStProof[]
}

/** Encodes a partition proof. */
export function encodePartitionPoStProof(proof: PartitionPoStProof): Uint8Array {
  const w = new ByteWriter().bytes(tagBytes(TAG)).u8(VERSION).u8(proof.postProof).u32(proof.partition).u16(proof.sectors.length)
  for (const s of proof.sectors) {
    w.u64(s.sectorNumber).bytes(s.commC).bytes(s.commRLast).u16(s.inclusionProofs.length)
    for (const p of s.inclusionProofs) w.bytes(p.leaf).bytes(p.path)
  }
  return w.finish()
}

/** Decodes a partition proof; throws `E_PROOF_MALFORMED` for bytes that are not one of the right shape. */
export function decodePartitionPoStProof(bytes: Uint8Array): PartitionPoStProof {
  const r = new ByteReader(bytes, 'PoSt proof')
  r.magic(TAG)
  r.check(r.u8() === VERSION, 'unknown version')
  const postProof = r.u8()
  r.check(postProof <= 14, `unknown PoSt proof ${postProof}`)
  const kind = postKind(postProof)
  const params = sectorParams(sectorSizeOfPoStProof(postProof))
  const path = 32 * proofSiblings(sectorTrees(params).treeR)
  const partition = r.u32()
  const count = r.u16()
  r.check(count > 0, 'no sectors')
  const sectors: SectorPoStProof[] = []
  for (let i = 0; i < count; i++) {
    const sectorNumber = r.u64()
    const commC = r.bytes(32)
    const commRLast = r.bytes(32)
    const challenges = r.u16()
    r.check(challenges === challengesPerSector(kind), `${challenges} challenges per sector, the proof type has ${challengesPerSector(kind)}`)
    const inclusionProofs: InclusionProof[] = []
    for (let c = 0; c < challenges; c++) inclusionProofs.push({ leaf: r.bytes(32), path: r.bytes(path) })
    sectors.push({ sectorNumber, commC, commRLast, inclusionProofs })
  }
  r.end()
  return { postProof, partition, sectors }
}
