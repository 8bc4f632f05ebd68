export * from './fr.ts'
export * from './nodes.ts'
