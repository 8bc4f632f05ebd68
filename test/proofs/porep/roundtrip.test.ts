/**
 * PoRep end to end, with the TypeScript kernels and with the native ones: PreCommit1/2, Commit1/2 and
 * verification for 2 KiB and 8 MiB sectors; golden values for a fixed 2 KiB sector (both paths must give
 * them); and tampering — wrong seed, ticket, CommR or CommD, a flipped replica byte, altered labels, a cut
 * or altered proof, missing cache files — each failing with its typed reason.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Piece } from '@web3-storage/data-segment'
import { afterAll, describe, expect, it } from 'vitest'
import { CACHE_FILES, layerFileName, sectorPaths } from '../../../src/proofs/layout/index.ts'
import { typescriptKernels, type SealingKernels } from '../../../src/proofs/kernels/index.ts'
import { decodeSealProof, encodeSealProof } from '../../../src/proofs/porep/index.ts'
import { nativeKernels, nativeMissing } from '../native-sealing/native.ts'
import { bytesFrom, commit1, fieldBytes, hex, prove, seal, sha256Hex, tempStore, verify, verifyCommit1 } from './seal.ts'

/**
 * Golden: sector 1 of miner t01000, 2 KiB (seal proof 5, PoRep id 05 00…), the data and ticket/seed below.
 * A change to the graph, labelling, encoding, trees, challenges or the proof encoding changes these.
 */
const GOLDEN = {
  dataSha256: '961e8ff5b0dcf201e51ff43ab718ae4edb17203b6eb8d27bb499edac858bfb20',
  ticket: '132cba2bd881ea772fe3f46b4ea629613596d02190322435797f9caecfbd2826',
  seed: '274c499d6909a8c502dafe6eba7d89f68b323c917080eec38c8c1c5140472d3e',
  commD: 'e7632f51fa4a32c48f5df381ebb5d5935127add891e3e10e210309f043dc593a',
  commR: 'cdc56ba7a02e2491a71c83c581fb60386dcb7baf5124f0c00f18661729f23020',
  proofBytes: 16850,
  proofSha256: '0242da0426753304fdc629e8c7383cb9003ec08117bf0d5bc1366c4af8ae51a9',
}

const PATHS: Array<[string, SealingKernels | null]> = [
  ['TypeScript', typescriptKernels],
  [`native${nativeMissing ? ` (${nativeMissing})` : ''}`, nativeKernels],
]

for (const [name, kernels] of PATHS) {
  describe.skipIf(!kernels)(`PoRep with the ${name} kernels`, () => {
    const k = kernels!
    const store = tempStore()
    afterAll(() => store.dispose())

    it('seals, proves and verifies the golden 2 KiB sector', async () => {
      const s = await seal(store, 1, k)
      const seed = fieldBytes('seed-1')
      const proof = await prove(store, s, seed)
      expect(verify(s, proof, seed)).toEqual({ valid: true })
      expect({
        dataSha256: sha256Hex(bytesFrom('payload-1', 2032)),
        ticket: hex(s.ticket),
        seed: hex(seed),
        commD: hex(s.commD),
        commR: hex(s.commR),
        proofBytes: proof.length,
        proofSha256: sha256Hex(proof),
      }).toEqual(GOLDEN)
      // CommD is the commP of the sector's data, as the reference package computes it.
      expect(hex(s.commD)).toBe(hex(Piece.fromPayload(s.payload).root))
    })

    it('rejects a wrong seed, ticket, CommR or CommD with a typed reason', async () => {
      const s = await seal(store, 2, k)
      const seed = fieldBytes('seed-2')
      const proof = await prove(store, s, seed)
      const other = fieldBytes('other')
      expect(verify(s, proof, other)).toMatchObject({ valid: false, reason: 'E_CHALLENGE_MISMATCH' })
      expect(verify(s, proof, seed, { ticket: other })).toMatchObject({ valid: false, reason: 'E_CHALLENGE_MISMATCH' })
      expect(verify(s, proof, seed, { commR: other })).toMatchObject({ valid: false, reason: 'E_COMM_R_MISMATCH' })
      expect(verify(s, proof, seed, { commD: other })).toMatchObject({ valid: false, reason: 'E_CHALLENGE_MISMATCH' })
      // The prover refuses inputs that do not match the sealed sector before proving anything.
      await expect(commit1(store, s, seed, { ticket: other })).rejects.toMatchObject({ code: 'E_REPLICA_ID_MISMATCH' })
      await expect(commit1(store, s, seed, { commR: other })).rejects.toMatchObject({ code: 'E_COMM_R_MISMATCH' })
    })

    it('rejects altered or cut proof bytes', async () => {
      const s = await seal(store, 3, k)
      const seed = fieldBytes('seed-3')
      const proof = await prove(store, s, seed)
      expect(verify(s, proof.subarray(0, proof.length - 1), seed)).toMatchObject({ valid: false, reason: 'E_PROOF_MALFORMED' })
      expect(verify(s, new Uint8Array([...proof, 0]), seed)).toMatchObject({ valid: false, reason: 'E_PROOF_MALFORMED' })
      // Flip one byte of each 32-byte field in turn (a sample): never valid, always a typed reason.
      for (let at = 40; at < proof.length; at += 997) {
        const bad = proof.slice()
        bad[at] ^= 0x01
        const r = verify(s, bad, seed)
        expect(r.valid, `byte ${at}`).toBe(false)
        if (!r.valid) expect(r.reason).toMatch(/^E_[A-Z_]+$/)
      }
    })

    it('rejects a proof with too few or too many challenge openings, or openings of other nodes', async () => {
      const s = await seal(store, 8, k)
      const seed = fieldBytes('seed-8')
      const proof = decodeSealProof(await prove(store, s, seed))
      const [first, second] = proof.partitions[0]
      const variants = [
        [[first]],
        [[first, second, second]],
        [[first, second], [first, second]],
        [[second, first]],
        [[first, { ...second, challenge: (second.challenge % 63) + 1 }]],
      ]
      const reasons = variants.map((partitions) => verify(s, encodeSealProof({ ...proof, partitions }), seed))
      // The proof bytes carry the counts, so a wrong count is already malformed bytes.
      expect(reasons.map((r) => (r.valid ? 'valid' : r.reason))).toEqual([
        'E_PROOF_MALFORMED',
        'E_PROOF_MALFORMED',
        'E_PROOF_MALFORMED',
        first.challenge === second.challenge ? 'valid' : 'E_CHALLENGE_MISMATCH',
        'E_CHALLENGE_MISMATCH',
      ])
    })

    it('a flipped replica byte: the prover refuses, the verifier sees the tree_r_last opening fail', async () => {
      const s = await seal(store, 4, k)
      const seed = fieldBytes('seed-4')
      const { sealed } = sectorPaths(store, s.sector.id)
      const replica = readFileSync(sealed)
      const flipped = Buffer.from(replica)
      flipped[1000] ^= 0x01
      writeFileSync(sealed, flipped)
      const c1 = await commit1(store, s, seed)
      expect(verifyCommit1(c1, k)).toMatchObject({ valid: false, reason: 'E_TREE_R_PROOF_INVALID' })
      await expect(prove(store, s, seed)).rejects.toMatchObject({ code: 'E_PROOF_INVALID', reason: 'E_TREE_R_PROOF_INVALID' })
      writeFileSync(sealed, replica)
      expect(verify(s, await prove(store, s, seed), seed)).toEqual({ valid: true })
    })

    it('altered labels in the cache: the column openings no longer lead to comm_c', async () => {
      const s = await seal(store, 5, k)
      const seed = fieldBytes('seed-5')
      const layer = join(sectorPaths(store, s.sector.id).cache, layerFileName(1))
      const labels = readFileSync(layer)
      writeFileSync(layer, Buffer.alloc(labels.length, 0x11))
      await expect(prove(store, s, seed)).rejects.toMatchObject({ code: 'E_PROOF_INVALID', reason: 'E_TREE_C_PROOF_INVALID' })
      writeFileSync(layer, labels)
    })

    it('a missing cache or sealed file is E_SECTOR_FILE_MISSING', async () => {
      const s = await seal(store, 6, k)
      const seed = fieldBytes('seed-6')
      const paths = sectorPaths(store, s.sector.id)
      const files = [
        ...[CACHE_FILES.treeRLast, CACHE_FILES.treeC, CACHE_FILES.treeD, CACHE_FILES.pAux, CACHE_FILES.tAux, layerFileName(1), layerFileName(2)].map((f) => join(paths.cache, f)),
        paths.sealed,
      ]
      for (const file of files) {
        const bytes = readFileSync(file)
        rmSync(file)
        await expect(prove(store, s, seed), file).rejects.toMatchObject({ code: 'E_SECTOR_FILE_MISSING' })
        writeFileSync(file, bytes)
      }
      expect(verify(s, await prove(store, s, seed), seed)).toEqual({ valid: true })
    })
  })
}

// 8 MiB: native when the library loads (about a second), else TypeScript (several seconds).
describe('PoRep 8 MiB', () => {
  const store = tempStore()
  afterAll(() => store.dispose())

  it(`seals, proves and verifies an 8 MiB sector (${nativeKernels ? 'native' : 'TypeScript'} kernels)`, async () => {
    const k = nativeKernels ?? typescriptKernels
    const s = await seal(store, 7, k, 8 << 20)
    const seed = fieldBytes('seed-7')
    const proof = await prove(store, s, seed)
    expect(verify(s, proof, seed)).toEqual({ valid: true })
    // The TypeScript verifier accepts what the native prover made.
    expect(verify({ ...s, kernels: typescriptKernels }, proof, seed)).toEqual({ valid: true })
    expect(verify(s, proof, fieldBytes('x'))).toMatchObject({ valid: false, reason: 'E_CHALLENGE_MISMATCH' })
  }, 120_000)
})
