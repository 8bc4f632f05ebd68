export * from './errors.ts'
export * from './manager.ts'
export * from './check-car.ts'
