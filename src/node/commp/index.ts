export * from './calc-commp.ts'
export * from './errors.ts'
