/** The proofs library: piece commitments (fr32, commP, piece CIDs, CommD) and the native accelerator's interface. */
export * from './errors.ts'
export * from './hash/index.ts'
export * from './fr32/index.ts'
export * from './piece/index.ts'
export * from './commp/index.ts'
export * from './commd/index.ts'
export * from './native/index.ts'
