export * from './types.ts'
export * from './typescript.ts'
export * from './backend.ts'
export * from './errors.ts'
