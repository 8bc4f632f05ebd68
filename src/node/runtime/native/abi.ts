/**
 * The ABI table of libpetal's piece-commitment functions: one entry per exported C function, mirroring its
 * signature in src/proofs/native/*.c. Other tables (sealing) live beside this one and are opened with the same
 * `openNativeLibrary`. Every function returns a status: 0, or a negative PETAL_E* code.
 */
import { FFIType } from 'bun:ffi'
import { NativeCallError } from './errors.ts'

/** Must equal PETAL_ABI_VERSION in src/proofs/native/petal.h. */
export const ABI_VERSION = 2

/** Success (src/proofs/native/petal.h). */
export const PETAL_OK = 0

/** Throws `E_NATIVE_CALL_FAILED` unless a native function `fn` returned PETAL_OK. */
export function checkStatus(fn: string, status: number): void {
  if (status !== PETAL_OK) throw new NativeCallError(fn, status)
}
/** A null pointer or a bad count or length. */
export const PETAL_EINVAL = -1
/** fr32 unpad met an element with its top two bits set. */
export const PETAL_EFR32 = -2
/** The requested SHA-256 implementation is not on this CPU. */
export const PETAL_EUNSUPPORTED = -3

/** Values of petal_sha256_impl. */
export const SHA_IMPLS = ['portable', 'sha-ni'] as const

/** The piece-commitment functions of libpetal, as bun:ffi declares them. */
export const PROOFS_SYMBOLS = {
  petal_abi_version: { args: [], returns: FFIType.i32 },
  petal_sha256_impl: { args: [], returns: FFIType.i32 },
  petal_sha256_force: { args: [FFIType.i32], returns: FFIType.i32 },
  petal_sha256: { args: [FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
  petal_hash_pairs: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  petal_fr32_pad: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  petal_fr32_unpad: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  petal_commp_subtree: { args: [FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
} as const
