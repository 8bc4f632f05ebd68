export * from './unseal.ts'
export * from './read-piece.ts'
export * from './errors.ts'
