export * from './types.ts'
export * from './backend.ts'
