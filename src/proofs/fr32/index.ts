export * from './fr32.ts'
export * from './stream.ts'
export * from './errors.ts'
