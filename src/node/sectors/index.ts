export * from './errors.ts'
export * from './records.ts'
