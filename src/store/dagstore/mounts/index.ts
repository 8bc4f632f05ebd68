export * from './file-reader.ts'
export * from './file-mount.ts'
export * from './piece-mount.ts'
export * from './registry.ts'
