/**
 * What the proofs code needs from the native library (src/proofs/native/*.c). The node implements it over
 * bun:ffi in src/node/runtime/native and installs it at start-up; the TypeScript code is the reference and
 * every method must give byte-identical results.
 */
import type { PieceTreeHasher } from '../commp/types.ts'

/** Which SHA-256 compression the native library runs. */
export type NativeSha = 'sha-ni' | 'portable'

/** The piece-commitment functions of the native library. */
export interface ProofsNative extends PieceTreeHasher {
  /** SHA-256 implementation the CPU check selected. */
  readonly sha: NativeSha
  /** Path of the loaded shared library. */
  readonly library: string
  /** fr32-pads `input` (127 × n bytes) into `output` (128 × n bytes). */
  fr32Pad(input: Uint8Array, output: Uint8Array): void
  /** Unpads `input` (128 × n bytes) into `output` (127 × n bytes); throws `E_FR32_INVALID` on bad elements. */
  fr32Unpad(input: Uint8Array, output: Uint8Array): void
  /** Hashes n node pairs: `input` is 64 × n bytes, `output` receives n trunc254 digests (32 × n bytes). */
  hashPairs(input: Uint8Array, output: Uint8Array): void
}
