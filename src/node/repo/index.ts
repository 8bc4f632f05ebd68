export * from './paths.ts'
export * from './lock.ts'
export * from './keystore.ts'
export * from './repo.ts'
