export * from './layout.ts'
export * from './hasher.ts'
export * from './file-builder.ts'
export * from './directory-builder.ts'
