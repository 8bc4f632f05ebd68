export * from './sha256-trunc254.ts'
export * from './sha256-words.ts'
