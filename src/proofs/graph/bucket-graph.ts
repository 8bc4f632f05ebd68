/**
 * The base DRG: Ben Fisch's bucket sampling (DRSample) as storage-proofs-core `BucketGraph` draws it for
 * ApiVersion ≥ 1.1. Node v ≥ 2 gets its immediate predecessor first, then five parents sampled on the
 * metagraph of v·5 nodes: a bucket b uniform in 1..⌈log2(5v)⌉, a distance uniform in
 * [max(2, min(5v, 2^b)/2), min(5v, 2^b)], mapped back by integer division by 5. Nodes 0 and 1 have only
 * node 0 as parent. The randomness is ChaCha8 seeded with the graph seed and u32_LE(v).
 */
import { createHash } from 'node:crypto'
import { BASE_DEGREE } from '../sector/params.ts'
import { chacha8Block } from './chacha8.ts'

/** Domain tags of the graph seeds (storage-proofs-core crypto/mod.rs). */
export const DRSAMPLE_DST = 'Filecoin_DRSample'
export const FEISTEL_DST = 'Filecoin_Feistel'

/** SHA-256(tag ‖ porepId): the per-PoRep-type seed of the DRG (first 28 bytes) and the Feistel keys. */
export function porepDomainSeed(tag: string, porepId: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(tag).update(porepId).digest())
}

/** The 28-byte DRG seed of a PoRep id. */
export function drgSeed(porepId: Uint8Array): Uint8Array {
  return porepDomainSeed(DRSAMPLE_DST, porepId).subarray(0, 28)
}

/** The four u64 Feistel keys of a PoRep id (little-endian words of the Feistel domain seed). */
export function feistelKeys(porepId: Uint8Array): bigint[] {
  const seed = porepDomainSeed(FEISTEL_DST, porepId)
  const v = new DataView(seed.buffer, seed.byteOffset, 32)
  return [0, 8, 16, 24].map((o) => v.getBigUint64(o, true))
}

/** (hi·2^32 + lo) mod n for n < 2^37, exactly, in 16-bit steps. */
function mod64(hi: number, lo: number, n: number): number {
  let r = (hi >>> 16) % n
  r = (r * 65536 + (hi & 0xffff)) % n
  r = (r * 65536 + (lo >>> 16)) % n
  return (r * 65536 + (lo & 0xffff)) % n
}

/** ⌈log2(x)⌉ for x ≥ 1, exactly (the f64 log2 of the reference agrees on every x below 2^52). */
function ceilLog2(x: number): number {
  let bits = 0
  for (let v = x - 1; v > 0; v = Math.floor(v / 2)) bits++
  return bits
}

/** Reusable state of a base-parent sampler for one seed. */
export class BucketSampler {
  private readonly key = new Uint32Array(8)
  private readonly words = new Uint32Array(32)
  private readonly block = new Uint32Array(16)

  constructor(seed28: Uint8Array) {
    const v = new DataView(seed28.buffer, seed28.byteOffset, 28)
    for (let i = 0; i < 7; i++) this.key[i] = v.getUint32(4 * i, true)
  }

  /** Writes the six base parents of `node` into `out` at `offset`. */
  parents(node: number, out: Uint32Array, offset = 0): void {
    if (node < 2) {
      out.fill(0, offset, offset + BASE_DEGREE)
      return
    }
    this.key[7] = node >>> 0
    chacha8Block(this.key, 0, this.block)
    this.words.set(this.block, 0)
    chacha8Block(this.key, 1, this.block)
    this.words.set(this.block, 16)
    const w = this.words
    const m = BASE_DEGREE - 1
    const meta = node * m
    const buckets = ceilLog2(meta)
    out[offset] = node - 1
    for (let p = 1, at = 0; p <= m; p++, at += 4) {
      const bucket = mod64(w[at + 1], w[at], buckets) + 1
      const largest = Math.min(meta, 2 ** bucket)
      const smallest = Math.max(2, Math.floor(largest / 2))
      const distance = smallest + mod64(w[at + 3], w[at + 2], largest - smallest + 1)
      const mapped = Math.floor((meta - distance) / m)
      out[offset + p] = mapped === node ? node - 1 : mapped
    }
  }
}
