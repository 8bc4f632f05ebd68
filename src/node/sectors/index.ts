export * from './errors.ts'
export * from './records.ts'
export * from './piece-locator.ts'
export * from './piece-reader.ts'
