/**
 * The ABI table of libpetal's CAR functions (src/proofs/native/car.c), opened with the same
 * `openNativeLibrary` as ./abi.ts and checked against the same `ABI_VERSION`. Every function returns 0 or a
 * negative PETAL_E* status.
 */
import { FFIType } from 'bun:ffi'

/** The CAR functions of libpetal, as bun:ffi declares them. */
export const CAR_SYMBOLS = {
  petal_abi_version: { args: [], returns: FFIType.i32 },
  // buf, len, payload offset, max section, flags, pool, pool cap, key starts, offsets, sizes, entry cap, io[3]
  petal_car_scan: {
    args: [FFIType.ptr, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.u32, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr],
    returns: FFIType.i32,
  },
  // pool, key starts, n, codec, digest keys, size out
  petal_car_index_size: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.u32, FFIType.u32, FFIType.ptr], returns: FFIType.i32 },
  // pool, key starts, offsets, n, codec, digest keys, out, out length
  petal_car_index_encode: {
    args: [FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.u32, FFIType.u32, FFIType.ptr, FFIType.u64],
    returns: FFIType.i32,
  },
  // data, len, out[32]
  petal_sha256: { args: [FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
  // buf, len, payload offset, seed, pool, pool cap, key starts, offsets, sizes, hashes, next, last, entry cap,
  // slots, slot count, io[6]
  petal_car_put_sections: {
    args: [
      FFIType.ptr,
      FFIType.u64,
      FFIType.u64,
      FFIType.u32,
      FFIType.ptr,
      FFIType.u64,
      FFIType.ptr,
      FFIType.ptr,
      FFIType.ptr,
      FFIType.ptr,
      FFIType.ptr,
      FFIType.ptr,
      FFIType.u64,
      FFIType.ptr,
      FFIType.u64,
      FFIType.ptr,
    ],
    returns: FFIType.i32,
  },
  // pool, pool length, key starts, count, seed, hashes, next, last, slots, slot count, distinct out
  petal_car_index_build: {
    args: [FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.u64, FFIType.u32, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr],
    returns: FFIType.i32,
  },
  // buf, entries, width, prefix, prefix length, previous digest, has previous, pool, pool cap, key starts,
  // offsets, sizes, entry cap, io[3]
  petal_car_index_entries: {
    args: [FFIType.ptr, FFIType.u64, FFIType.u32, FFIType.ptr, FFIType.u32, FFIType.ptr, FFIType.u32, FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr, FFIType.ptr, FFIType.u64, FFIType.ptr],
    returns: FFIType.i32,
  },
} as const
