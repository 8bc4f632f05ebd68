/**
 * The hash of tree nodes, behind one interface so that a Poseidon hasher (Filecoin's for tree_c, tree_r_last
 * and CommR) can be added beside petal's SHA-256 without touching the trees. A parent is the hash of its
 * `arity` children concatenated; for SHA-256 that is trunc254(SHA-256(children)), which for arity 2 is the
 * commP/tree_d node hash.
 */
import { resolveKernels } from '../kernels/backend.ts'
import type { SealingKernels } from '../kernels/types.ts'

/** A node hash over any power-of-two arity. */
export interface TreeHasher {
  /** Stable name, part of proof type names: 'sha256-trunc254'. */
  readonly name: string
  /** Hashes `output.length / 32` consecutive groups of `arity` nodes from `input` into `output`. */
  hashGroups(input: Uint8Array, arity: number, output: Uint8Array): void
}

/** SHA-256 truncated to 254 bits, computed by `kernels` (default: native when installed, else TypeScript). */
export function sha256TreeHasher(kernels?: SealingKernels): TreeHasher {
  const k = resolveKernels(kernels)
  return { name: 'sha256-trunc254', hashGroups: (input, arity, output) => k.hashGroups(input, arity, output) }
}

/** H(a ‖ b) with a tree hasher: how CommR is made from comm_c and comm_r_last. */
export function hash2(hasher: TreeHasher, a: Uint8Array, b: Uint8Array): Uint8Array {
  const input = new Uint8Array(64)
  input.set(a, 0)
  input.set(b, 32)
  const out = new Uint8Array(32)
  hasher.hashGroups(input, 2, out)
  return out
}
