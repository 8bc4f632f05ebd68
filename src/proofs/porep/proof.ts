/**
 * The vanilla seal proof and its bytes. Per challenged node c: the tree_d opening of the data node, the
 * tree_r_last opening of the replica node, and column openings (the labels of every layer plus the tree_c
 * path) of c, of its six base parents and of its eight expander parents — everything a verifier needs to
 * recompute c's labels, the key, and the encoding (rust-fil-proofs stacked/vanilla/proof.rs `Proof`).
 *
 * Bytes: "PSDR" ‖ u8 version ‖ u8 seal proof ‖ comm_c ‖ comm_r_last ‖ u16 partitions ‖ u16 challenges per
 * partition ‖ per challenge: u32 c ‖ tree_d leaf+path ‖ tree_r_last leaf+path ‖ 15 × (labels ‖ tree_c path).
 * Path lengths follow from the sector size, so they are not encoded.
 */
import { ByteReader, ByteWriter, tagBytes } from '../codec/bytes.ts'
import type { InclusionProof } from '../merkle/proof.ts'
import { proofSiblings } from '../merkle/shape.ts'
import { BASE_DEGREE, EXP_DEGREE } from '../sector/params.ts'
import { sealProofParams, type RegisteredSealProof } from '../sector/proof-types.ts'
import { sectorTrees } from './context.ts'

const TAG = 'PSDR'
const VERSION = 1

/** A column opening: the node's label in every layer and the tree_c path of its column hash. */
export interface ColumnOpening {
  readonly labels: Uint8Array
  readonly treeCPath: Uint8Array
}

/** The openings of one challenged node. */
export interface SealChallengeProof {
  readonly challenge: number
  readonly treeD: InclusionProof
  readonly treeRLast: InclusionProof
  readonly column: ColumnOpening
  readonly drgParents: readonly ColumnOpening[]
  readonly expParents: readonly ColumnOpening[]
}

/** A whole vanilla seal proof. */
export interface SealProof {
  readonly proofType: RegisteredSealProof
  readonly commC: Uint8Array
  readonly commRLast: Uint8Array
  readonly partitions: readonly (readonly SealChallengeProof[])[]
}

/** Encodes a seal proof. */
export function encodeSealProof(proof: SealProof): Uint8Array {
  const w = new ByteWriter().bytes(tagBytes(TAG)).u8(VERSION).u8(proof.proofType).bytes(proof.commC).bytes(proof.commRLast)
  w.u16(proof.partitions.length).u16(proof.partitions[0]?.length ?? 0)
  for (const partition of proof.partitions) {
    for (const c of partition) {
      w.u32(c.challenge).bytes(c.treeD.leaf).bytes(c.treeD.path).bytes(c.treeRLast.leaf).bytes(c.treeRLast.path)
      for (const col of [c.column, ...c.drgParents, ...c.expParents]) w.bytes(col.labels).bytes(col.treeCPath)
    }
  }
  return w.finish()
}

/** Decodes a seal proof; throws `E_PROOF_MALFORMED` for anything that is not one of the right shape. */
export function decodeSealProof(bytes: Uint8Array): SealProof {
  const r = new ByteReader(bytes, 'seal proof')
  r.magic(TAG)
  r.check(r.u8() === VERSION, 'unknown version')
  const proofType = r.u8()
  r.check(proofType >= 5 && proofType <= 9, `unknown seal proof ${proofType}`)
  const params = sealProofParams(proofType)
  const trees = sectorTrees(params)
  const commC = r.bytes(32)
  const commRLast = r.bytes(32)
  const partitions = r.u16()
  const perPartition = r.u16()
  r.check(partitions === params.porepPartitions && perPartition === params.porepChallengesPerPartition, 'wrong number of challenges')
  const dPath = 32 * proofSiblings(trees.treeD)
  const rPath = 32 * proofSiblings(trees.treeR)
  const column = (): ColumnOpening => ({ labels: r.bytes(32 * params.layers), treeCPath: r.bytes(rPath) })
  const out: SealChallengeProof[][] = []
  for (let k = 0; k < partitions; k++) {
    const list: SealChallengeProof[] = []
    for (let i = 0; i < perPartition; i++) {
      const challenge = r.u32()
      const treeD = { leaf: r.bytes(32), path: r.bytes(dPath) }
      const treeRLast = { leaf: r.bytes(32), path: r.bytes(rPath) }
      const col = column()
      const drgParents = Array.from({ length: BASE_DEGREE }, column)
      const expParents = Array.from({ length: EXP_DEGREE }, column)
      list.push({ challenge, treeD, treeRLast, column: col, drgParents, expParents })
    }
    out.push(list)
  }
  r.end()
  return { proofType: proofType as RegisteredSealProof, commC, commRLast, partitions: out }
}
