/** The native library through bun:ffi: locating, opening, the proofs wrapper, mode selection, hashing workers. */
export * from './errors.ts'
export * from './library.ts'
export * from './proofs-native.ts'
export * from './mode.ts'
export * from './worker-pool.ts'
export * from './sealing-native.ts'
export * from './sealing-abi.ts'
