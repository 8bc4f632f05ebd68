/**
 * The randomness of a replica update (storage-proofs-update vanilla.rs `phi`, `rho`; notes §3.2). Filecoin
 * hashes with Poseidon under a custom domain tag; petal's `petal-snap-sha256-v1` uses SHA-256 truncated to
 * 254 bits over a 32-byte domain tag and two field elements:
 *
 *   genRandomness(a, b) = trunc254(SHA-256(DST ‖ a ‖ b))
 *   phi     = genRandomness(comm_d_new, comm_r_old)
 *   rho(i)  = genRandomness(phi, Fr(i >> (log2(nodes) − h)))      new[i] = key[i] + data[i] · rho(i)
 *
 * A trunc254 value is below 2^254 < r, so it is already a canonical field element.
 */
import { frFromBytes, frInv, frToBytes } from '../field/fr.ts'
import { sha256Trunc254 } from '../hash/sha256-trunc254.ts'
import type { UpdateRhos } from '../kernels/types.ts'
import type { SectorParams } from '../sector/params.ts'
import { checkBytes32 } from '../sector/sector-id.ts'

/** The domain tag: "petal-snap-gen-randomness-v1", zero-padded to 32 bytes. */
export const UPDATE_RANDOMNESS_DST: Uint8Array = (() => {
  const tag = new Uint8Array(32)
  tag.set(new TextEncoder().encode('petal-snap-gen-randomness-v1'))
  return tag
})()

/** A non-negative integer as a 32-byte little-endian field element. */
export function frOfInteger(n: number | bigint): Uint8Array {
  return frToBytes(BigInt(n))
}

/** trunc254(SHA-256(DST ‖ a ‖ b)): petal's stand-in for Poseidon's gen-randomness hash. */
export function genRandomness(a: Uint8Array, b: Uint8Array): Uint8Array {
  const input = new Uint8Array(96)
  input.set(UPDATE_RANDOMNESS_DST, 0)
  input.set(checkBytes32('randomness input', a), 32)
  input.set(checkBytes32('randomness input', b), 64)
  return sha256Trunc254(input)
}

/** phi = genRandomness(comm_d_new, comm_r_old). */
export function updatePhi(commDNew: Uint8Array, commROld: Uint8Array): Uint8Array {
  return genRandomness(commDNew, commROld)
}

/** The bucket (high bits) of a node. */
export function rhoBucket(params: SectorParams, node: number): number {
  return Math.floor(node / 2 ** (params.nodesLog2 - params.updateH))
}

/** rho for bucket `high`. */
export function updateRho(phi: Uint8Array, high: number): Uint8Array {
  return genRandomness(phi, frOfInteger(high))
}

/** All 2^h rhos of a sector size, for the encode and remove-data kernels. */
export function updateRhos(params: SectorParams, phi: Uint8Array): UpdateRhos {
  const count = 2 ** params.updateH
  const values = new Uint8Array(32 * count)
  for (let i = 0; i < count; i++) values.set(updateRho(phi, i), 32 * i)
  return { values, shift: params.nodesLog2 - params.updateH }
}

/** The inverses of `updateRhos`, for the decode kernel. */
export function updateRhoInverses(rhos: UpdateRhos): UpdateRhos {
  const values = new Uint8Array(rhos.values.length)
  for (let o = 0; o < values.length; o += 32) frToBytes(frInv(frFromBytes(rhos.values, o)), values, o)
  return { values, shift: rhos.shift }
}
