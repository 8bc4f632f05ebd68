export * from './api-info.ts'
export * from './rpc-client.ts'
