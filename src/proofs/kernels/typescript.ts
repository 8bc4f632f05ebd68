/**
 * The TypeScript kernels: the reference implementation of every sealing hot loop. SHA-256 runs through
 * node:crypto (its one-shot `hash` where the runtime has it), field arithmetic on 32-bit limbs for
 * additions and bigint for the products of replica updates.
 */
import * as nodeCrypto from 'node:crypto'
import { FR_MODULUS, frFromBytes, frToBytes } from '../field/fr.ts'
import { addNodes, subNodes } from '../field/nodes.ts'
import { labelRangeTs } from '../sdr/label.ts'
import type { SealingKernels, UpdateRhos } from './types.ts'

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array
const oneShot = (nodeCrypto as unknown as { hash?: OneShot }).hash
const sha256 = oneShot
  ? (m: Uint8Array) => oneShot('sha256', m, 'buffer')
  : (m: Uint8Array) => nodeCrypto.createHash('sha256').update(m).digest()

function hashGroups(input: Uint8Array, arity: number, output: Uint8Array): void {
  const groupBytes = 32 * arity
  for (let o = 0, i = 0; o + 32 <= output.length; o += 32, i += groupBytes) {
    output.set(sha256(input.subarray(i, i + groupBytes)).subarray(0, 32), o)
    output[o + 31] &= 0x3f
  }
}

function hashColumns(layers: readonly Uint8Array[], output: Uint8Array): void {
  const column = new Uint8Array(32 * layers.length)
  for (let o = 0; o + 32 <= output.length; o += 32) {
    for (let l = 0; l < layers.length; l++) column.set(layers[l].subarray(o, o + 32), 32 * l)
    output.set(sha256(column).subarray(0, 32), o)
    output[o + 31] &= 0x3f
  }
}

const rhoCache = new WeakMap<Uint8Array, bigint[]>()

function rhoValues(rhos: UpdateRhos): bigint[] {
  let values = rhoCache.get(rhos.values)
  if (!values) {
    values = []
    for (let o = 0; o < rhos.values.length; o += 32) values.push(frFromBytes(rhos.values, o))
    rhoCache.set(rhos.values, values)
  }
  return values
}

/** Applies `f(a, b, rho)` node by node into `out`, with rho chosen by each node's high bits. */
function mapUpdate(a: Uint8Array, b: Uint8Array, out: Uint8Array, rhos: UpdateRhos, first: number, f: (x: bigint, y: bigint, rho: bigint) => bigint): void {
  const values = rhoValues(rhos)
  const bucket = 2 ** rhos.shift
  for (let o = 0, node = first; o + 32 <= out.length; o += 32, node++) {
    const rho = values[Math.floor(node / bucket)]
    const v = f(frFromBytes(a, o) % FR_MODULUS, frFromBytes(b, o) % FR_MODULUS, rho) % FR_MODULUS
    frToBytes(v < 0n ? v + FR_MODULUS : v, out, o)
  }
}

/** The reference kernels. */
export const typescriptKernels: SealingKernels = {
  name: 'typescript',
  labelRange: labelRangeTs,
  hashGroups,
  hashColumns,
  addNodes,
  subNodes,
  updateEncode: (key, data, out, rhos, first) => mapUpdate(key, data, out, rhos, first, (k, d, rho) => k + d * rho),
  updateDecode: (replica, key, out, rhoInvs, first) => mapUpdate(replica, key, out, rhoInvs, first, (r, k, inv) => (r - k) * inv),
  updateRemoveData: (replica, data, out, rhos, first) => mapUpdate(replica, data, out, rhos, first, (r, d, rho) => r - d * rho),
}
