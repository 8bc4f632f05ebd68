/**
 * The vanilla replica-update proof (storage-proofs-update vanilla.rs `PartitionProof`, `ChallengeProof`).
 * Per partition: comm_c, the roots of the old and new tree_r_last, the partition's apex leaves of the new
 * tree_d, and per challenged node the openings of the old replica, the new data and the new replica.
 *
 * Partition bytes: "PSNP" ‖ u8 version ‖ u8 update proof ‖ u16 partition ‖ comm_c ‖ comm_r_last_old ‖
 * comm_r_last_new ‖ apex leaves ‖ u16 challenges ‖ per challenge: r_old leaf+path ‖ d_new leaf+path ‖ r_new
 * leaf+path. The whole proof: "PSNU" ‖ u8 version ‖ u8 update proof ‖ u16 partitions ‖ per partition: u32
 * length ‖ partition bytes. Counts and path lengths follow from the sector size and are checked.
 */
import { ByteReader, ByteWriter, tagBytes } from '../codec/bytes.ts'
import type { InclusionProof } from '../merkle/proof.ts'
import { proofSiblings } from '../merkle/shape.ts'
import { sectorTrees } from '../porep/context.ts'
import { sectorParams } from '../sector/params.ts'
import { sectorSizeOfUpdateProof } from '../sector/proof-types.ts'

const PARTITION_TAG = 'PSNP'
const PROOF_TAG = 'PSNU'
const VERSION = 1

/** The openings of one challenged node. */
export interface UpdateChallengeProof {
  readonly rOld: InclusionProof
  readonly dNew: InclusionProof
  readonly rNew: InclusionProof
}

/** The proof of one partition. */
export interface UpdatePartitionProof {
  readonly updateProof: number
  readonly partition: number
  readonly commC: Uint8Array
  readonly commRLastOld: Uint8Array
  readonly commRLastNew: Uint8Array
  /** apexLeaves × 32 bytes. */
  readonly apexLeaves: Uint8Array
  readonly challenges: readonly UpdateChallengeProof[]
}

/** Encodes a partition proof (what `proveReplicaUpdate1` returns per partition). */
export function encodeUpdatePartitionProof(p: UpdatePartitionProof): Uint8Array {
  const w = new ByteWriter().bytes(tagBytes(PARTITION_TAG)).u8(VERSION).u8(p.updateProof).u16(p.partition)
  w.bytes(p.commC).bytes(p.commRLastOld).bytes(p.commRLastNew).bytes(p.apexLeaves).u16(p.challenges.length)
  for (const c of p.challenges) for (const o of [c.rOld, c.dNew, c.rNew]) w.bytes(o.leaf).bytes(o.path)
  return w.finish()
}

/** Decodes a partition proof; throws `E_PROOF_MALFORMED`. */
export function decodeUpdatePartitionProof(bytes: Uint8Array): UpdatePartitionProof {
  const r = new ByteReader(bytes, 'replica update partition proof')
  r.magic(PARTITION_TAG)
  r.check(r.u8() === VERSION, 'unknown version')
  const updateProof = r.u8()
  r.check(updateProof <= 4, `unknown update proof ${updateProof}`)
  const params = sectorParams(sectorSizeOfUpdateProof(updateProof))
  const trees = sectorTrees(params)
  const dPath = 32 * proofSiblings(trees.treeD)
  const rPath = 32 * proofSiblings(trees.treeR)
  const partition = r.u16()
  r.check(partition < params.updatePartitions, `partition ${partition} of ${params.updatePartitions}`)
  const [commC, commRLastOld, commRLastNew] = [r.bytes(32), r.bytes(32), r.bytes(32)]
  const apexLeaves = r.bytes(32 * params.updateApexLeaves)
  const count = r.u16()
  r.check(count === params.updateChallengesPerPartition, `${count} challenges, the proof type has ${params.updateChallengesPerPartition}`)
  const challenges: UpdateChallengeProof[] = []
  for (let i = 0; i < count; i++) {
    const rOld = { leaf: r.bytes(32), path: r.bytes(rPath) }
    const dNew = { leaf: r.bytes(32), path: r.bytes(dPath) }
    const rNew = { leaf: r.bytes(32), path: r.bytes(rPath) }
    challenges.push({ rOld, dNew, rNew })
  }
  r.end()
  return { updateProof, partition, commC, commRLastOld, commRLastNew, apexLeaves, challenges }
}

/** Joins the partition proofs into the update proof (what `proveReplicaUpdate2` returns). */
export function encodeUpdateProof(updateProof: number, partitions: readonly Uint8Array[]): Uint8Array {
  const w = new ByteWriter().bytes(tagBytes(PROOF_TAG)).u8(VERSION).u8(updateProof).u16(partitions.length)
  for (const p of partitions) w.u32(p.length).bytes(p)
  return w.finish()
}

/** Splits an update proof into its type and partition proofs; throws `E_PROOF_MALFORMED`. */
export function decodeUpdateProof(bytes: Uint8Array): { updateProof: number; partitions: Uint8Array[] } {
  const r = new ByteReader(bytes, 'replica update proof')
  r.magic(PROOF_TAG)
  r.check(r.u8() === VERSION, 'unknown version')
  const updateProof = r.u8()
  r.check(updateProof <= 4, `unknown update proof ${updateProof}`)
  const count = r.u16()
  const partitions: Uint8Array[] = []
  for (let i = 0; i < count; i++) partitions.push(r.bytes(r.u32()))
  r.end()
  return { updateProof, partitions }
}
