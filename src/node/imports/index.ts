export * from './errors.ts'
export * from './manager.ts'
