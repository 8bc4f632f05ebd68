/**
 * The native accelerator chosen at start-up. The node installs one (or none) with `setProofsNative`; proofs
 * functions take a hasher as an option and fall back to this, then to TypeScript.
 */
import { typescriptTreeHasher } from '../commp/subtree.ts'
import type { PieceTreeHasher } from '../commp/types.ts'
import type { ProofsNative } from './types.ts'

let installed: ProofsNative | null = null

/** Installs the native accelerator (or removes it with null). */
export function setProofsNative(native: ProofsNative | null): void {
  installed = native
}

/** The installed native accelerator, or null when the TypeScript path runs. */
export function getProofsNative(): ProofsNative | null {
  return installed
}

/** The subtree hasher commP uses by default: native when installed, else TypeScript. */
export function activeTreeHasher(): PieceTreeHasher {
  return installed ?? typescriptTreeHasher
}
