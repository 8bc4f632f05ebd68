/** Everything that touches Bun.*, bun:sqlite or bun:ffi, re-exported from one place. */
export * from './sqlite.ts'
export * from './toml.ts'
export * from './serve.ts'
export * from './native/index.ts'
