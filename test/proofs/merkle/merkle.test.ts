/**
 * Sector trees: tree_d's root is the data's commP (checked against @web3-storage/data-segment, the reference
 * package); the streaming builder gives the same levels however the leaves arrive; inclusion proofs of binary
 * and oct-trees verify at their index and fail for any altered sibling, leaf or index; a tree file that keeps
 * only its top rows regenerates the same proofs from the leaves — with the TypeScript and native hashers.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Piece } from '@web3-storage/data-segment'
import { afterAll, describe, expect, it } from 'vitest'
import { fr32Pad } from '../../../src/proofs/fr32/index.ts'
import { typescriptKernels } from '../../../src/proofs/kernels/index.ts'
import { withAtomicFile } from '../../../src/proofs/layout/atomic.ts'
import { nodeSectorFs } from '../../../src/proofs/layout/index.ts'
import {
  TreeBuilder,
  binaryShape,
  buildTreeLevels,
  createShape,
  fileLeafReader,
  openTreeFile,
  proofFromLevels,
  sha256TreeHasher,
  treeFileSink,
  verifyInclusion,
} from '../../../src/proofs/merkle/index.ts'
import { nativeKernels } from '../native-sealing/native.ts'

const dir = mkdtempSync(join(tmpdir(), 'petal-merkle-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

/** 32-byte nodes with the top two bits clear, as every sector tree's leaves are. */
function leaves(n: number): Uint8Array {
  const out = new Uint8Array(randomBytes(32 * n))
  for (let i = 31; i < out.length; i += 32) out[i] &= 0x3f
  return out
}

for (const [name, kernels] of [['TypeScript', typescriptKernels], ['native', nativeKernels]] as const) {
  describe.skipIf(!kernels)(`sector trees (${name} hasher)`, () => {
    const hasher = sha256TreeHasher(kernels!)

    it("tree_d's root over fr32-padded data is the reference package's commP", () => {
      for (const size of [127, 2032, 127 * 512]) {
        const payload = new Uint8Array(randomBytes(size))
        const padded = fr32Pad(payload)
        const levels = buildTreeLevels(padded, binaryShape(padded.length / 32), hasher)
        expect(hex(levels[levels.length - 1])).toBe(hex(Piece.fromPayload(payload).root))
      }
    })

    it('the streaming builder gives the same levels for any split of the leaves', () => {
      const shape = createShape(512, [8, 8, 8])
      const data = leaves(512)
      const whole = buildTreeLevels(data, shape, hasher)
      const stored: Uint8Array[] = whole.map((l) => new Uint8Array(l.length))
      const builder = new TreeBuilder(shape, hasher, 1, (level, index, nodes) => stored[level].set(nodes, 32 * index))
      for (const [a, b] of [[0, 1], [1, 9], [9, 200], [200, 512]]) builder.push(data.subarray(32 * a, 32 * b))
      expect(hex(builder.finish())).toBe(hex(whole[3]))
      for (let l = 1; l < 4; l++) expect(hex(stored[l])).toBe(hex(whole[l]))
      expect(() => builder.push(leaves(1))).toThrow(expect.objectContaining({ code: 'E_TREE_LEAVES_INVALID' }))
    })

    it('inclusion proofs verify at their index and fail when anything is altered', () => {
      for (const shape of [binaryShape(64), createShape(64, [8, 8]), createShape(128, [8, 8, 2])]) {
        const levels = buildTreeLevels(leaves(shape.leaves), shape, hasher)
        const root = levels[levels.length - 1]
        for (let i = 0; i < shape.leaves; i++) {
          const p = proofFromLevels(shape, levels, i)
          expect(verifyInclusion(shape, hasher, i, p, root)).toBe(true)
          expect(verifyInclusion(shape, hasher, (i + 1) % shape.leaves, p, root)).toBe(false)
          const path = p.path.slice()
          path[(i * 7) % path.length] ^= 1
          expect(verifyInclusion(shape, hasher, i, { leaf: p.leaf, path }, root)).toBe(false)
          const leaf = p.leaf.slice()
          leaf[0] ^= 1
          expect(verifyInclusion(shape, hasher, i, { leaf, path: p.path }, root)).toBe(false)
        }
      }
    })

    it('a tree file with its lower rows discarded regenerates the same proofs from the leaves', () => {
      const shape = createShape(4096, [8, 8, 8, 8])
      const data = leaves(4096)
      const levels = buildTreeLevels(data, shape, hasher)
      const leafPath = join(dir, `${name}-leaves`)
      const treePath = join(dir, `${name}-tree`)
      withAtomicFile(nodeSectorFs, leafPath, (f) => f.write(data, 0))
      withAtomicFile(nodeSectorFs, treePath, (f) => {
        const b = new TreeBuilder(shape, hasher, 3, treeFileSink(f, shape, 3))
        b.push(data)
        b.finish()
      })
      const leafFile = nodeSectorFs.openRead(leafPath)
      const tree = openTreeFile(nodeSectorFs, treePath, shape, 3, hasher, fileLeafReader(leafFile))
      try {
        expect(hex(tree.root())).toBe(hex(levels[4]))
        for (const i of [0, 1, 511, 512, 2047, 4095]) {
          const p = tree.proof(i)
          const q = proofFromLevels(shape, levels, i)
          expect(hex(p.path)).toBe(hex(q.path))
          expect(hex(p.leaf)).toBe(hex(q.leaf))
        }
        expect(() => tree.proof(4096)).toThrow(expect.objectContaining({ code: 'E_TREE_INDEX_OUT_OF_RANGE' }))
      } finally {
        tree.close()
        leafFile.close()
      }
      expect(() => openTreeFile(nodeSectorFs, leafPath, shape, 3, hasher, null)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^E_SECTOR_FILE_SIZE|E_TREE_FILE_INVALID$/) }))
    })
  })
}

it('shapes must multiply to the leaf count with power-of-two arities', () => {
  for (const [n, a] of [[64, [8, 4]], [64, [3, 8]], [100, [10, 10]]] as const) expect(() => createShape(n, a)).toThrow(expect.objectContaining({ code: 'E_TREE_SHAPE_INVALID' }))
})
