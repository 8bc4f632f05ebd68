export * from './schema.ts'
export * from './values.ts'
export * from './render.ts'
export * from './load.ts'
