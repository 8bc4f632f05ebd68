export * from './commd.ts'
export * from './padding.ts'
export * from './errors.ts'
