export * from './size.ts'
export * from './cid.ts'
export * from './zero-comm.ts'
export * from './errors.ts'
