export * from './sha256-trunc254.ts'
