/**
 * Trees on disk. A tree file is its stored levels, [storeFrom, top], each a run of 32-byte nodes, one after
 * the other: Lotus's DiskStore when storeFrom is 0 (tree_d, tree_c) and its LevelCacheStore when lower rows
 * are discarded (tree_r_last). A proof below the stored levels rebuilds the one small subtree it needs from
 * the leaves (the replica file), as rust-fil-proofs' `gen_cached_proof` does.
 */
import type { SectorFile, SectorFs } from '../layout/fs.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import { buildTreeLevels, type TreeSink } from './builder.ts'
import type { TreeHasher } from './hasher.ts'
import { type InclusionProof, proofFromLevels } from './proof.ts'
import { type TreeShape, createShape, fileLayout, leavesPerNode, proofSiblings } from './shape.ts'
import { TreeIndexOutOfRangeError } from './errors.ts'

/** A sink that writes a builder's stored levels into `file` at their offsets. */
export function treeFileSink(file: SectorFile, shape: TreeShape, storeFrom: number): TreeSink {
  const { offsets } = fileLayout(shape, storeFrom)
  return (level, index, nodes) => file.write(nodes, offsets[level] + 32 * index)
}

/** Reads `count` leaves starting at leaf `first` into `into`. */
export type LeafReader = (into: Uint8Array, first: number) => void

/** A tree file opened for proofs. */
export class TreeFile {
  private readonly offsets: number[]

  constructor(
    private readonly file: SectorFile,
    readonly path: string,
    readonly shape: TreeShape,
    readonly storeFrom: number,
    private readonly hasher: TreeHasher,
    private readonly leaves: LeafReader | null,
  ) {
    const layout = fileLayout(shape, storeFrom)
    if (file.size() !== layout.size) throw new SectorFileSizeError(path, layout.size, file.size())
    this.offsets = layout.offsets
  }

  /** The root node as stored. */
  root(): Uint8Array {
    return this.readNodes(this.shape.arities.length, 0, 1)
  }

  /** `count` nodes of a stored level from `index`. */
  readNodes(level: number, index: number, count: number): Uint8Array {
    const out = new Uint8Array(32 * count)
    this.file.read(out, this.offsets[level] + 32 * index)
    return out
  }

  /**
   * The inclusion proof of leaf `index`. Levels below `storeFrom` come from the leaves as they are now; if
   * they were altered the proof leads to a different root, which is exactly what a verifier must see.
   */
  proof(index: number): InclusionProof {
    const { shape, storeFrom } = this
    if (!Number.isSafeInteger(index) || index < 0 || index >= shape.leaves) throw new TreeIndexOutOfRangeError(index, shape.leaves)
    const path = new Uint8Array(32 * proofSiblings(shape))
    let leaf: Uint8Array
    let at = 0
    if (storeFrom > 0) {
      const span = leavesPerNode(shape, storeFrom)
      const first = index - (index % span)
      const leaves = new Uint8Array(32 * span)
      this.leaves!(leaves, first)
      const sub = createShape(span, shape.arities.slice(0, storeFrom))
      const subProof = proofFromLevels(sub, buildTreeLevels(leaves, sub, this.hasher), index - first)
      path.set(subProof.path, 0)
      at = subProof.path.length
      leaf = subProof.leaf
    } else {
      leaf = this.readNodes(0, index, 1)
    }
    let idx = Math.floor(index / leavesPerNode(shape, storeFrom))
    for (let level = storeFrom; level < shape.arities.length; level++) {
      const arity = shape.arities[level]
      const first = idx - (idx % arity)
      const group = this.readNodes(level, first, arity)
      for (let i = 0; i < arity; i++) {
        if (first + i === idx) continue
        path.set(group.subarray(32 * i, 32 * i + 32), at)
        at += 32
      }
      idx = Math.floor(idx / arity)
    }
    return { leaf, path }
  }

  close(): void {
    this.file.close()
  }
}

/** Opens a tree file; throws `E_SECTOR_FILE_MISSING` or `E_SECTOR_FILE_SIZE`. */
export function openTreeFile(fs: SectorFs, path: string, shape: TreeShape, storeFrom: number, hasher: TreeHasher, leaves: LeafReader | null): TreeFile {
  const file = fs.openRead(path)
  try {
    return new TreeFile(file, path, shape, storeFrom, hasher, leaves)
  } catch (err) {
    file.close()
    throw err
  }
}

/** A leaf reader over a file of 32-byte nodes (the replica, or an unsealed sector). */
export function fileLeafReader(file: SectorFile): LeafReader {
  return (into, first) => file.read(into, 32 * first)
}
