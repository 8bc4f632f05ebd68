/**
 * SDR labelling in TypeScript, the reference the native library must match. The label of node v in layer
 * L (from 1) is SHA-256(replica_id ‖ u32_BE(L) ‖ u64_BE(v) ‖ 20 zero bytes ‖ parents) with the top two
 * bits cleared; node 0 hashes no parents. Layer 1 hashes its six base parents six times over plus the first
 * once more (37 nodes); later layers hash the six base parents (this layer) and eight expander parents
 * (previous layer) twice, then the first nine again (also 37 nodes). Every label is 1248 bytes of message,
 * 20 SHA-256 compressions with the padding (create_label/single.rs, graph.rs `copy_parents_data*`).
 */
import * as nodeCrypto from 'node:crypto'
import { BASE_DEGREE, DEGREE } from '../sector/params.ts'
import { type StackedGraph, fillParents } from '../graph/stacked-graph.ts'

/** Bytes hashed for one label with parents: 64-byte prefix + 37 parent nodes. */
export const LABEL_MESSAGE_BYTES = 64 + 37 * 32
/** SHA-256 compressions per label (1248 bytes + 9 bytes of padding → 20 blocks). */
export const LABEL_COMPRESSIONS = 20

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array
const oneShot = (nodeCrypto as unknown as { hash?: OneShot }).hash
const sha256 = oneShot
  ? (m: Uint8Array) => oneShot('sha256', m, 'buffer')
  : (m: Uint8Array) => nodeCrypto.createHash('sha256').update(m).digest()

/** Nodes whose parents are computed per batch. */
const BATCH = 4096

/**
 * Labels nodes [start, start + count) of layer `layer` into `labels` (the whole layer, 32 × nodes bytes;
 * nodes before `start` must already be labelled). `prev` is the previous layer, required from layer 2.
 */
export function labelRangeTs(graph: StackedGraph, replicaId: Uint8Array, layer: number, labels: Uint8Array, prev: Uint8Array | null, start: number, count: number): void {
  const msg = new Uint8Array(LABEL_MESSAGE_BYTES)
  msg.set(replicaId, 0)
  const header = new DataView(msg.buffer, 32, 32)
  header.setUint32(0, layer, false)
  const parents = new Uint32Array(DEGREE * Math.min(BATCH, count))
  const exp = layer > 1
  for (let batch = start; batch < start + count; batch += BATCH) {
    const n = Math.min(BATCH, start + count - batch)
    fillParents(graph, batch, n, parents)
    for (let i = 0; i < n; i++) {
      const node = batch + i
      header.setUint32(4, Math.floor(node / 0x100000000), false)
      header.setUint32(8, node >>> 0, false)
      let digest: Uint8Array
      if (node === 0) {
        digest = sha256(msg.subarray(0, 64))
      } else {
        const p = DEGREE * i
        for (let k = 0; k < BASE_DEGREE; k++) {
          const at = 32 * parents[p + k]
          msg.set(labels.subarray(at, at + 32), 64 + 32 * k)
        }
        if (exp) {
          for (let k = BASE_DEGREE; k < DEGREE; k++) {
            const at = 32 * parents[p + k]
            msg.set(prev!.subarray(at, at + 32), 64 + 32 * k)
          }
          msg.copyWithin(64 + 14 * 32, 64, 64 + 14 * 32)
          msg.copyWithin(64 + 28 * 32, 64, 64 + 9 * 32)
        } else {
          for (let r = 1; r < 6; r++) msg.copyWithin(64 + 6 * 32 * r, 64, 64 + 6 * 32)
          msg.copyWithin(64 + 36 * 32, 64, 96)
        }
        digest = sha256(msg)
      }
      const o = 32 * node
      labels.set(digest.subarray(0, 32), o)
      labels[o + 31] &= 0x3f
    }
  }
}

/**
 * One label from its parents' labels, as a verifier recomputes it from column openings: `base` holds the
 * six base parents' labels (this layer), `exp` the eight expander parents' (previous layer) from layer 2.
 */
export function labelFromParents(replicaId: Uint8Array, layer: number, node: number, base: Uint8Array, exp: Uint8Array | null): Uint8Array {
  const msg = new Uint8Array(LABEL_MESSAGE_BYTES)
  msg.set(replicaId, 0)
  const header = new DataView(msg.buffer, 32, 32)
  header.setUint32(0, layer, false)
  header.setUint32(4, Math.floor(node / 0x100000000), false)
  header.setUint32(8, node >>> 0, false)
  let digest: Uint8Array
  if (node === 0) {
    digest = sha256(msg.subarray(0, 64))
  } else if (layer > 1) {
    msg.set(base.subarray(0, 6 * 32), 64)
    msg.set(exp!.subarray(0, 8 * 32), 64 + 6 * 32)
    msg.copyWithin(64 + 14 * 32, 64, 64 + 14 * 32)
    msg.copyWithin(64 + 28 * 32, 64, 64 + 9 * 32)
    digest = sha256(msg)
  } else {
    for (let r = 0; r < 6; r++) msg.set(base.subarray(0, 6 * 32), 64 + 6 * 32 * r)
    msg.set(base.subarray(0, 32), 64 + 36 * 32)
    digest = sha256(msg)
  }
  const label = new Uint8Array(digest.subarray(0, 32))
  label[31] &= 0x3f
  return label
}
