/**
 * PoRep end to end: PreCommit1/2, Commit1/2 and verification for 2 KiB and 8 MiB sectors; tampering
 * (wrong seed, ticket or CommR, a flipped replica byte, a missing cache file) fails with a typed reason; and
 * golden values for a fixed 2 KiB sector so an accidental change to the scheme is caught.
 */
import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CACHE_FILES, sectorPaths } from '../../../src/proofs/layout/index.ts'
import { sealCommit1, sealCommit2, verifySeal } from '../../../src/proofs/porep/index.ts'
import { fieldBytes, sealSector, tempStore, type SealedSector } from '../post/sealed-sector.ts'

const store = tempStore()
afterAll(() => store.dispose())
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

async function prove(s: SealedSector, seed: Uint8Array, ticket = s.ticket): Promise<Uint8Array> {
  return sealCommit2(await sealCommit1(store, s.sector, { ticket, seed, commR: s.commR, commD: s.commD }))
}

function verify(s: SealedSector, proof: Uint8Array, seed: Uint8Array, over: Partial<{ ticket: Uint8Array; commR: Uint8Array; commD: Uint8Array }> = {}) {
  return verifySeal({ proofType: s.sector.proofType, sectorId: s.sector.id, ticket: over.ticket ?? s.ticket, seed, commR: over.commR ?? s.commR, commD: over.commD ?? s.commD, proof })
}

describe('PoRep', () => {
  it('seals, proves and verifies a 2 KiB sector, matching the golden values', async () => {
    const s = await sealSector(store, 1)
    const seed = fieldBytes('seed-1')
    const proof = await prove(s, seed)
    expect(verify(s, proof, seed)).toEqual({ valid: true })
    // Golden: a change to labelling, trees, challenges or the proof encoding changes these.
    expect({ commD: hex(s.commD), commR: hex(s.commR), proofSha256: createHash('sha256').update(proof).digest('hex'), proofBytes: proof.length }).toMatchInlineSnapshot(`
      {
        "commD": "e7632f51fa4a32c48f5df381ebb5d5935127add891e3e10e210309f043dc593a",
        "commR": "cdc56ba7a02e2491a71c83c581fb60386dcb7baf5124f0c00f18661729f23020",
        "proofBytes": 16850,
        "proofSha256": "0242da0426753304fdc629e8c7383cb9003ec08117bf0d5bc1366c4af8ae51a9",
      }
    `)
  })

  it('rejects a wrong seed, ticket, CommR or CommD with a typed reason', async () => {
    const s = await sealSector(store, 2)
    const seed = fieldBytes('seed-2')
    const proof = await prove(s, seed)
    const other = fieldBytes('other')
    for (const result of [verify(s, proof, other), verify(s, proof, seed, { ticket: other }), verify(s, proof, seed, { commR: other }), verify(s, proof, seed, { commD: other })]) {
      expect(result.valid).toBe(false)
      if (!result.valid) expect(result.reason).toMatch(/^E_[A-Z_]+$/)
    }
  })

  it('a flipped byte in the replica cannot be proven; a missing cache file is a typed error', async () => {
    const s = await sealSector(store, 3)
    const seed = fieldBytes('seed-3')
    const paths = sectorPaths(store, s.sector.id)
    const replica = readFileSync(paths.sealed)
    const flipped = Buffer.from(replica)
    for (let i = 0; i < flipped.length; i += 32) flipped[i] ^= 1
    writeFileSync(paths.sealed, flipped)
    let outcome: unknown
    try {
      outcome = verify(s, await prove(s, seed), seed)
    } catch (err) {
      outcome = err
    }
    if (outcome instanceof Error) expect((outcome as { code?: string }).code).toMatch(/^E_[A-Z_]+$/)
    else expect((outcome as { valid: boolean }).valid).toBe(false)
    writeFileSync(paths.sealed, replica)
    expect(verify(s, await prove(s, seed), seed)).toEqual({ valid: true })
    rmSync(join(paths.cache, CACHE_FILES.treeRLast), { force: true })
    await expect(prove(s, seed)).rejects.toMatchObject({ code: expect.stringMatching(/^E_[A-Z_]+$/) })
  })

  it('seals, proves and verifies an 8 MiB sector', async () => {
    const s = await sealSector(store, 4, 8 << 20)
    const seed = fieldBytes('seed-4')
    const proof = await prove(s, seed)
    expect(verify(s, proof, seed)).toEqual({ valid: true })
    expect(verify(s, proof, fieldBytes('x')).valid).toBe(false)
  }, 120_000)
})

