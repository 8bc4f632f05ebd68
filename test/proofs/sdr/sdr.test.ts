/**
 * SDR building blocks: the replica id is SHA-256 of its inputs in Filecoin's order with the top bits cleared;
 * a label recomputed from its parents' labels (as a verifier does from column openings) equals the label the
 * prover computed over the whole layer; labelling costs 20 SHA-256 compressions; challenges avoid node 0 and
 * change with the seed and the replica id; generateLabels resumes from layers it is handed and stops on abort.
 */
import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createStackedGraph, nodeParents } from '../../../src/proofs/graph/stacked-graph.ts'
import { typescriptKernels } from '../../../src/proofs/kernels/index.ts'
import { LABEL_COMPRESSIONS, LABEL_MESSAGE_BYTES, generateLabels, labelFromParents, porepChallenges, replicaId } from '../../../src/proofs/sdr/index.ts'
import { porepId, proverIdFromActorId, sectorParams } from '../../../src/proofs/sector/index.ts'
import { nativeKernels } from '../native-sealing/native.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const field = () => {
  const b = new Uint8Array(randomBytes(32))
  b[31] &= 0x3f
  return b
}

describe('SDR', () => {
  it('replica id = SHA-256(prover ‖ u64_BE(sector) ‖ ticket ‖ CommD ‖ PoRep id), top two bits cleared', () => {
    const [ticket, commD] = [field(), field()]
    const proverId = proverIdFromActorId(1000n)
    const id = replicaId({ proverId, sectorNumber: 0x0102030405n, ticket, commD, porepId: porepId(5) })
    const sector = Buffer.from('0000000102030405', 'hex')
    const expected = createHash('sha256').update(proverId).update(sector).update(ticket).update(commD).update(porepId(5)).digest()
    expected[31] &= 0x3f
    expect(hex(id)).toBe(hex(expected))
    expect(hex(proverId)).toBe('e807' + '00'.repeat(30))
  })

  it('a label is 1248 bytes of message, 20 compressions with the padding', () => {
    expect(LABEL_MESSAGE_BYTES).toBe(64 + 37 * 32)
    expect(LABEL_COMPRESSIONS).toBe(Math.ceil((LABEL_MESSAGE_BYTES + 9) / 64))
  })

  for (const [name, kernels] of [['TypeScript', typescriptKernels], ['native', nativeKernels]] as const) {
    it.skipIf(!kernels)(`labels recomputed from their parents equal the layer's (${name} prover)`, async () => {
      const graph = createStackedGraph(4096, porepId(6))
      const rid = field()
      const layers: Uint8Array[] = []
      await generateLabels(graph, rid, 3, { kernels: kernels!, store: (_l, labels) => layers.push(labels.slice()) })
      const at = (layer: Uint8Array, v: number) => layer.subarray(32 * v, 32 * v + 32)
      for (const v of [0, 1, 2, 3, 100, 2047, 4095]) {
        const parents = nodeParents(graph, v)
        for (let layer = 1; layer <= 3; layer++) {
          const base = new Uint8Array(6 * 32)
          for (let k = 0; k < 6; k++) base.set(at(layers[layer - 1], parents[k]), 32 * k)
          let exp: Uint8Array | null = null
          if (layer > 1) {
            exp = new Uint8Array(8 * 32)
            for (let k = 0; k < 8; k++) exp.set(at(layers[layer - 2], parents[6 + k]), 32 * k)
          }
          expect(hex(labelFromParents(rid, layer, v, base, exp)), `node ${v} layer ${layer}`).toBe(hex(at(layers[layer - 1], v)))
          expect(at(layers[layer - 1], v)[31] & 0xc0).toBe(0)
        }
      }
    })
  }

  it('generateLabels takes layers it is handed as done and stops when aborted', async () => {
    // Two kernel calls per layer at least (65536 nodes each); the fastest kernels, this is about the loop.
    const kernels = nativeKernels ?? typescriptKernels
    const graph = createStackedGraph(1 << 17, porepId(6))
    const rid = field()
    const full: Uint8Array[] = []
    await generateLabels(graph, rid, 2, { kernels, store: (_l, labels) => full.push(labels.slice()) })
    const computed: number[] = []
    const last = await generateLabels(graph, rid, 2, {
      kernels,
      load: (layer, into) => (layer === 1 ? (into.set(full[0]), true) : false),
      store: (layer) => computed.push(layer),
    })
    expect(computed).toEqual([2])
    expect(hex(last)).toBe(hex(full[1]))
    const controller = new AbortController()
    const run = generateLabels(graph, rid, 2, { kernels, signal: controller.signal, onProgress: (done) => done >= 65536 && controller.abort() })
    await expect(run).rejects.toThrow()
  })

  it('challenges avoid node 0, stay in range and depend on the seed and the replica id', () => {
    const params = sectorParams(2048)
    const [rid, seed] = [field(), field()]
    const a = porepChallenges(params, rid, seed)
    expect(a.length).toBe(params.porepPartitions)
    expect(a[0].length).toBe(params.porepChallengesPerPartition)
    const seen = new Set<number>()
    for (let i = 0; i < 200; i++) for (const c of porepChallenges(params, field(), field()).flat()) seen.add(c)
    expect(Math.min(...seen)).toBe(1)
    expect(Math.max(...seen)).toBe(63)
    expect(porepChallenges(params, rid, seed)).toEqual(a)
    expect(porepChallenges(sectorParams(32 * 2 ** 30), rid, seed).flat().length).toBe(180)
  })
})
