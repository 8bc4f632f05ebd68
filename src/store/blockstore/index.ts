/** Blockstores over CAR files: the Blockstore interface, ReadOnly and ReadWrite. */
export * from './types.ts'
export * from './errors.ts'
export { BlockReader, type BlockReaderOptions } from './block-reader.ts'
export { iterateCids } from './cid-iterator.ts'
export { openReadOnly, ReadOnlyBlockstore, type IndexOrigin, type OpenReadOnlyOptions, type ReadOnlyOptions } from './read-only.ts'
export { openReadWrite, ReadWriteBlockstore, type ReadWriteOptions, type ResumeInfo } from './read-write.ts'
export { resumeFile, type ResumeParams, type ResumeState } from './resume.ts'
