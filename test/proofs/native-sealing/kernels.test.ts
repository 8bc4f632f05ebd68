/**
 * The native sealing kernels against the TypeScript reference, byte for byte: SDR labels (one and two
 * labelling threads, ranges split anywhere), tree-node hashing of every arity, column hashing of 1, 2 and 11
 * layers, and the field maps of encoding and replica updates on random and edge-case nodes — under each
 * SHA-256 implementation the CPU has. Bad arguments are typed errors, never a crash in C.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { forceNativeSha, openProofsNative } from '../../../src/node/runtime/native/index.ts'
import { FR_MODULUS, frToBytes } from '../../../src/proofs/field/fr.ts'
import { createStackedGraph } from '../../../src/proofs/graph/stacked-graph.ts'
import { typescriptKernels as ts, type SealingKernels, type UpdateRhos } from '../../../src/proofs/kernels/index.ts'
import { porepId } from '../../../src/proofs/sector/index.ts'
import { nativeKernels, nativeMissing, nativeWithThreads, shaPaths } from './native.ts'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** Random nodes with some edge values mixed in: 0, 1, r − 1, r, r + 1, 2^254 − 1, 2^256 − 1. */
function nodes(n: number): Uint8Array {
  const out = new Uint8Array(randomBytes(32 * n))
  const edges = [0n, 1n, FR_MODULUS - 1n, FR_MODULUS, FR_MODULUS + 1n, (1n << 254n) - 1n, (1n << 256n) - 1n]
  edges.forEach((e, i) => i < n && frToBytes(e, out, 32 * i))
  return out
}

/** Canonical rho values (as the update code makes them). */
function rhos(buckets: number, shift: number): UpdateRhos {
  const values = new Uint8Array(32 * buckets)
  for (let i = 0; i < buckets; i++) frToBytes(BigInt('0x' + randomBytes(32).toString('hex')) % FR_MODULUS, values, 32 * i)
  return { values, shift }
}

function labelLayers(k: SealingKernels, nodesCount: number, split: number[]): Uint8Array[] {
  const graph = createStackedGraph(nodesCount, porepId(6))
  const replicaId = new Uint8Array(32).fill(7)
  replicaId[31] = 0x1f
  const layers = [new Uint8Array(32 * nodesCount), new Uint8Array(32 * nodesCount), new Uint8Array(32 * nodesCount)]
  for (let l = 1; l <= 3; l++) {
    let at = 0
    for (const end of [...split, nodesCount]) {
      k.labelRange(graph, replicaId, l, layers[l - 1], l > 1 ? layers[l - 2] : null, at, end - at)
      at = end
    }
  }
  return layers
}

describe.skipIf(!nativeKernels)(`native sealing kernels${nativeMissing ? ` (${nativeMissing})` : ''}`, () => {
  const detected = nativeKernels ? openProofsNative().sha : 'portable'
  afterAll(() => {
    if (nativeKernels) forceNativeSha(detected)
  })

  // Computed once: the reference labels of a 2^15-node graph (three layers, so layer ≥ 2 runs twice).
  const big = 1 << 15
  const reference = nativeKernels ? labelLayers(ts, big, []) : []

  for (const sha of shaPaths()) {
    describe(`${sha} SHA-256`, () => {
      it(`labels like TypeScript with one and two threads, whatever the ranges`, () => {
        forceNativeSha(sha)
        for (const threads of [1, 2] as const) {
          const k = nativeWithThreads(threads)!
          expect(k.threads).toBe(threads)
          const got = labelLayers(k, big, [1, 2, 777, 20_000])
          for (let l = 0; l < 3; l++) expect(hex(got[l])).toBe(hex(reference[l]))
          // The 2 KiB graph, node by node, where node 0 and 1 have no real parents.
          const small = labelLayers(k, 64, [1, 2, 3, 40])
          const smallRef = labelLayers(ts, 64, [])
          for (let l = 0; l < 3; l++) expect(hex(small[l])).toBe(hex(smallRef[l]))
        }
      })

      it('hashes tree nodes of every arity, in place too', () => {
        forceNativeSha(sha)
        const input = nodes(1024)
        for (const arity of [2, 4, 8, 16, 256]) {
          const a = new Uint8Array((32 * 1024) / arity)
          const b = new Uint8Array((32 * 1024) / arity)
          ts.hashGroups(input, arity, a)
          nativeKernels!.hashGroups(input, arity, b)
          expect(hex(b)).toBe(hex(a))
          const inPlace = input.slice()
          nativeKernels!.hashGroups(inPlace, arity, inPlace.subarray(0, a.length))
          expect(hex(inPlace.subarray(0, a.length))).toBe(hex(a))
        }
      })

      it('hashes columns of 1, 2, 3 and 11 layers', () => {
        forceNativeSha(sha)
        for (const count of [1, 2, 3, 11]) {
          const layers = Array.from({ length: count }, () => nodes(300))
          const a = new Uint8Array(32 * 300)
          const b = new Uint8Array(32 * 300)
          ts.hashColumns(layers, a)
          nativeKernels!.hashColumns(layers, b)
          expect(hex(b)).toBe(hex(a))
        }
      })
    })
  }

  it('adds and subtracts nodes mod r like the reference, edge values included, in place too', () => {
    const a = nodes(512)
    const b = nodes(512).reverse()
    for (const op of ['addNodes', 'subNodes'] as const) {
      const x = new Uint8Array(a.length)
      const y = new Uint8Array(a.length)
      ts[op](a, b, x)
      nativeKernels![op](a, b, y)
      expect(hex(y)).toBe(hex(x))
      const inPlace = a.slice()
      nativeKernels![op](inPlace, b, inPlace)
      expect(hex(inPlace)).toBe(hex(x))
    }
  })

  it('encodes, decodes and removes replica-update data like the reference, from any first node', () => {
    const a = nodes(256)
    const b = nodes(256).reverse()
    const r = rhos(8, 6)
    for (const op of ['updateEncode', 'updateDecode', 'updateRemoveData'] as const) {
      for (const first of [0, 37, 256]) {
        const x = new Uint8Array(a.length)
        const y = new Uint8Array(a.length)
        ts[op](a, b, x, r, first)
        nativeKernels![op](a, b, y, r, first)
        expect(hex(y)).toBe(hex(x))
      }
    }
  })

  it('huge-page advice on a fresh buffer changes nothing it holds', () => {
    const buffer = new Uint8Array(8 << 20)
    nativeKernels!.adviseLargeBuffer!(buffer)
    const pattern = nodes(1024)
    for (let at = 0; at < buffer.length; at += pattern.length) buffer.set(pattern, at)
    expect(hex(buffer.subarray(buffer.length - pattern.length))).toBe(hex(pattern))
    nativeKernels!.adviseLargeBuffer!(new Uint8Array(0))
  })

  it('turns bad arguments into E_KERNEL_ARGUMENT before reaching C', () => {
    const k = nativeKernels!
    const graph = createStackedGraph(64, porepId(5))
    const id = new Uint8Array(32)
    const bad: Array<() => void> = [
      () => k.labelRange(graph, id, 1, new Uint8Array(32 * 63), null, 0, 1),
      () => k.labelRange(graph, id, 2, new Uint8Array(32 * 64), null, 0, 1),
      () => k.labelRange(graph, id, 1, new Uint8Array(32 * 64), null, 60, 5),
      () => k.labelRange(graph, new Uint8Array(31), 1, new Uint8Array(32 * 64), null, 0, 1),
      () => k.labelRange(graph, id, 0, new Uint8Array(32 * 64), null, 0, 1),
      () => k.hashGroups(new Uint8Array(64), 3, new Uint8Array(32)),
      () => k.hashGroups(new Uint8Array(32), 2, new Uint8Array(32)),
      () => k.hashColumns([new Uint8Array(32), new Uint8Array(0)], new Uint8Array(32)),
      () => k.addNodes(new Uint8Array(32), new Uint8Array(32), new Uint8Array(33)),
      () => k.updateEncode(new Uint8Array(64), new Uint8Array(64), new Uint8Array(64), rhos(1, 0), 0),
      () => k.parents(graph, 60, 5, new Uint32Array(14 * 5)),
    ]
    for (const call of bad) expect(call).toThrow(expect.objectContaining({ code: 'E_KERNEL_ARGUMENT' }))
  })
})
