export * from './sha256-trunc254.ts'
export * from './sha256-words.ts'
export * from './errors.ts'
