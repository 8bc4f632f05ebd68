/**
 * The stacked DRG against Filecoin's own record of it: rust-fil-proofs' parent_cache.json lists the SHA-256 of
 * every production graph's parent table, so matching it for 2 KiB and 8 MiB checks bucket sampling (ChaCha8),
 * the Feistel expander and the PoRep ids parent for parent — in TypeScript and in the native library.
 */
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { chacha8Block } from '../../../src/proofs/graph/chacha8.ts'
import { feistelInvert, feistelPermute } from '../../../src/proofs/graph/feistel.ts'
import { createStackedGraph, fillParents, nodeParents, parentCacheDigest } from '../../../src/proofs/graph/stacked-graph.ts'
import { porepId, sealProofForSize } from '../../../src/proofs/sector/index.ts'
import { nativeKernels, nativeMissing } from '../native-sealing/native.ts'

const manifest = JSON.parse(readFileSync(new URL('../../fixtures/sealing/parent_cache.json', import.meta.url), 'utf8')) as Record<string, { sector_size: number; digest: string }>
const digestsFor = (size: number) => Object.values(manifest).filter((e) => e.sector_size === size).map((e) => e.digest)
const graphOf = (size: number) => createStackedGraph(size / 32, porepId(sealProofForSize(size)))

/** SHA-256 of the parent table computed by the native library, as rust-fil-proofs writes its cache file. */
function nativeDigest(size: number): string {
  const graph = graphOf(size)
  const hash = createHash('sha256')
  const rows = new Uint32Array(14 * 65536)
  for (let start = 0; start < graph.nodes; start += 65536) {
    const count = Math.min(65536, graph.nodes - start)
    nativeKernels!.parents(graph, start, count, rows)
    hash.update(new Uint8Array(rows.buffer, 0, count * 14 * 4))
  }
  return hash.digest('hex')
}

describe('stacked DRG', () => {
  it('ChaCha8 matches the published zero-key test vector (256-bit key, 8 rounds)', () => {
    const out = new Uint32Array(16)
    chacha8Block(new Uint32Array(8), 0, out)
    expect(Buffer.from(out.buffer).toString('hex')).toBe(
      '3e00ef2f895f40d67f5bb8e81f09a5a12c840ec3ce9a7f3b181be188ef711a1e984ce172b9216f419f445367456d5619314a42a3da86b001387bfdb80e0cfe42',
    )
  })

  it('2 KiB: the parent table hashes to the digest in rust-fil-proofs parent_cache.json', () => {
    expect(digestsFor(2048)).toContain(parentCacheDigest(graphOf(2048)))
    expect(parentCacheDigest(graphOf(2048))).toBe('840057702eea7652cf97e04306c30fe57174714d90de156a25eddd6075c25b97')
  })

  it('8 MiB: the parent table hashes to the digest in rust-fil-proofs parent_cache.json', () => {
    expect(parentCacheDigest(graphOf(8 << 20))).toBe('03cd13565ded97c240a5f52e54295ad127bd0461b57904cb3a4d79b097bbecab')
    expect(digestsFor(8 << 20)).toContain('03cd13565ded97c240a5f52e54295ad127bd0461b57904cb3a4d79b097bbecab')
  }, 60_000)

  it.skipIf(!nativeKernels)(`native parents give the same digests${nativeMissing ? ` (${nativeMissing})` : ''}`, () => {
    expect(nativeDigest(2048)).toBe('840057702eea7652cf97e04306c30fe57174714d90de156a25eddd6075c25b97')
    expect(nativeDigest(8 << 20)).toBe('03cd13565ded97c240a5f52e54295ad127bd0461b57904cb3a4d79b097bbecab')
  })

  it('base parents precede the node, the first is its predecessor; expander parents are in range', () => {
    const graph = graphOf(8 << 20)
    const rows = fillParents(graph, 0, 4096, new Uint32Array(14 * 4096))
    for (let v = 2; v < 4096; v++) {
      expect(rows[14 * v]).toBe(v - 1)
      for (let k = 1; k < 6; k++) expect(rows[14 * v + k]).toBeLessThan(v)
      for (let k = 6; k < 14; k++) expect(rows[14 * v + k]).toBeLessThan(graph.nodes)
    }
    expect(Array.from(nodeParents(graph, 1)).slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('the Feistel permutation is a bijection with its inverse', () => {
    const f = graphOf(2048).feistel
    const seen = new Set<number>()
    for (let i = 0; i < f.n; i++) {
      const p = feistelPermute(f, i)
      expect(p).toBeLessThan(f.n)
      expect(feistelInvert(f, p)).toBe(i)
      seen.add(p)
    }
    expect(seen.size).toBe(f.n)
  })
})
