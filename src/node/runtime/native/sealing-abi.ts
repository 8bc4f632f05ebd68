/**
 * The ABI table of libpetal's sealing functions (src/proofs/native/sdr.c, tree.c, field.c), opened with the
 * same `openNativeLibrary` as the piece-commitment table in ./abi.ts and checked against the same
 * `ABI_VERSION`. Every function returns 0 or a negative PETAL_E* status.
 */
import { FFIType } from 'bun:ffi'

/** `op` of petal_fr_update_nodes. */
export const UPDATE_OPS = { encode: 0, decode: 1, removeData: 2 } as const

/** The sealing functions of libpetal, as bun:ffi declares them. */
export const SEALING_SYMBOLS = {
  petal_abi_version: { args: [], returns: FFIType.i32 },
  // seed28, feistel table, half bits, feistel n, start, count, out
  petal_sdr_parents: { args: [FFIType.ptr, FFIType.ptr, FFIType.u32, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
  // seed28, feistel table, half bits, feistel n, replica id, layer, labels, prev, start, count, threads
  petal_sdr_label_range: {
    args: [FFIType.ptr, FFIType.ptr, FFIType.u32, FFIType.u64, FFIType.ptr, FFIType.u32, FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.u64, FFIType.u32],
    returns: FFIType.i32,
  },
  // in, arity, out, n
  petal_tree_hash_groups: { args: [FFIType.ptr, FFIType.u32, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  // layer pointers (u64 each), layer count, out, n
  petal_tree_hash_columns: { args: [FFIType.ptr, FFIType.u32, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  // a, b, out, n
  petal_fr_add_nodes: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  petal_fr_sub_nodes: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
  // op, a, b, out, n, rhos, buckets, shift, first
  petal_fr_update_nodes: {
    args: [FFIType.u32, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.u64, FFIType.u32, FFIType.u64],
    returns: FFIType.i32,
  },
  // ptr, len
  petal_mem_advise_huge: { args: [FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
} as const
