/**
 * The vanilla proof of one sector, and the check that comes with making it (Lotus `CheckProvable`,
 * rust-fil-proofs `generate_single_vanilla_proof`): read p_aux and check that H(comm_c, comm_r_last) is the
 * sector's CommR, open tree_r_last over the replica, and open every challenged leaf, checking each path
 * leads to comm_r_last. Any failure makes the sector unprovable with the code of the failed check. Upgraded
 * sectors (with a sector key) are proven over `update/` and `update-cache/`.
 */
import { joinPath } from '../layout/fs.ts'
import { readPAux } from '../layout/aux.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import { CACHE_FILES, type SectorStore, sectorPaths } from '../layout/paths.ts'
import { resolveKernels } from '../kernels/backend.ts'
import type { SealingKernels } from '../kernels/types.ts'
import { hash2, sha256TreeHasher } from '../merkle/hasher.ts'
import { equalBytes, verifyInclusion, type InclusionProof } from '../merkle/proof.ts'
import { fileLeafReader, openTreeFile, type TreeFile } from '../merkle/tree-file.ts'
import { sectorTrees } from '../porep/context.ts'
import { sealProofParams } from '../sector/proof-types.ts'
import { checkBytes32, createSectorId, toU64 } from '../sector/sector-id.ts'
import type { SectorFile } from '../layout/fs.ts'
import { PoStSectorUnprovableError } from './errors.ts'
import type { SectorPoStProof } from './proof.ts'
import type { PoStSectorInfo } from './types.ts'

/** The replica and cache a sector is proven over: update files for upgraded sectors. */
export function postSectorFiles(store: SectorStore, minerId: bigint, sector: PoStSectorInfo): { replica: string; cache: string } {
  const paths = sectorPaths(store, createSectorId(minerId, sector.sectorNumber))
  return sector.sectorKey ? { replica: paths.update, cache: paths.updateCache } : { replica: paths.sealed, cache: paths.cache }
}

function unprovable(sectorNumber: bigint, reason: string, why: string, cause?: unknown): PoStSectorUnprovableError {
  return new PoStSectorUnprovableError(sectorNumber, reason, why, cause === undefined ? undefined : { cause })
}

/**
 * Proves one sector at `challenges`; throws `E_POST_SECTOR_UNPROVABLE` (with the failed check's code as
 * `reason`) when its files cannot give a valid proof.
 */
export function proveSector(store: SectorStore, minerId: bigint, sector: PoStSectorInfo, challenges: readonly number[], kernels?: SealingKernels): SectorPoStProof {
  const sectorNumber = toU64('sector number', sector.sectorNumber)
  checkBytes32('CommR', sector.commR)
  const params = sealProofParams(sector.sealProof)
  const { treeR, treeRLastStoreFrom } = sectorTrees(params)
  const hasher = sha256TreeHasher(resolveKernels(kernels))
  const files = postSectorFiles(store, minerId, sector)
  const opened: Array<SectorFile | TreeFile> = []
  try {
    const aux = readPAux(store.fs, joinPath(files.cache, CACHE_FILES.pAux))
    if (!equalBytes(hash2(hasher, aux.commC, aux.commRLast), sector.commR)) {
      throw unprovable(sectorNumber, 'E_COMM_R_MISMATCH', `H(comm_c, comm_r_last) of ${files.cache}/p_aux is not the sector's CommR`)
    }
    const replica = store.fs.openRead(files.replica)
    opened.push(replica)
    if (replica.size() !== params.sectorSize) throw new SectorFileSizeError(files.replica, params.sectorSize, replica.size())
    const tree = openTreeFile(store.fs, joinPath(files.cache, CACHE_FILES.treeRLast), treeR, treeRLastStoreFrom, hasher, fileLeafReader(replica))
    opened.push(tree)
    if (!equalBytes(tree.root(), aux.commRLast)) throw unprovable(sectorNumber, 'E_TREE_R_PROOF_INVALID', 'the root of tree_r_last is not comm_r_last')
    const inclusionProofs: InclusionProof[] = challenges.map((c) => {
      const proof = tree.proof(c)
      if (!verifyInclusion(treeR, hasher, c, proof, aux.commRLast)) {
        throw unprovable(sectorNumber, 'E_TREE_R_PROOF_INVALID', `leaf ${c} of ${files.replica} does not lead to comm_r_last (the replica changed)`)
      }
      return proof
    })
    return { sectorNumber, commC: aux.commC, commRLast: aux.commRLast, inclusionProofs }
  } catch (err) {
    if (err instanceof PoStSectorUnprovableError) throw err
    const code = (err as { code?: unknown })?.code
    if (typeof code === 'string' && code.startsWith('E_')) throw unprovable(sectorNumber, code, (err as Error).message, err)
    if (err instanceof Error && typeof code === 'string') throw unprovable(sectorNumber, 'E_SECTOR_UNREADABLE', err.message, err)
    throw err
  } finally {
    for (const f of opened) f.close()
  }
}
