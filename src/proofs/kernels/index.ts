export * from './types.ts'
export * from './typescript.ts'
export * from './backend.ts'
