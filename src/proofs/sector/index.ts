export * from './params.ts'
export * from './proof-types.ts'
export * from './sector-id.ts'
export * from './errors.ts'
