/**
 * Finds and opens libpetal. Several symbol tables (piece commitments here, sealing beside it) open the same
 * file; each table is dlopen'ed once and cached, and every open checks the library's ABI version first.
 *
 * Where the library is looked for, first hit wins:
 *   1. $PETAL_NATIVE_LIBRARY, an explicit path;
 *   2. the copy embedded in the single binary (see ./embedded.ts and scripts/native.ts);
 *   3. build/native/libpetal-<platform>-<arch>.<so|dylib> in a source checkout (`bun scripts/native.ts`).
 */
import { dlopen, suffix, FFIType, type FFIFunction, type Library } from 'bun:ffi'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ABI_VERSION } from './abi.ts'
import { EMBEDDED_LIBRARY } from './embedded.ts'
import { NativeUnavailableError } from './errors.ts'

/** File name of the library for a platform: `libpetal-linux-x64.so`, `libpetal-darwin-arm64.dylib`. */
export function libraryFileName(platform: string = process.platform, arch: string = process.arch): string {
  const ext = platform === 'darwin' ? 'dylib' : platform === 'win32' ? 'dll' : 'so'
  return `libpetal-${platform}-${arch}.${ext}`
}

/** Where a library was found. */
export interface LibraryLocation {
  path: string
  source: 'env' | 'embedded' | 'build'
}

/** The library this process would open, or the reason there is none. */
export function locateLibrary(): LibraryLocation | { reason: string } {
  const explicit = process.env.PETAL_NATIVE_LIBRARY
  if (explicit) return existsSync(explicit) ? { path: explicit, source: 'env' } : { reason: `PETAL_NATIVE_LIBRARY=${explicit} does not exist` }
  if (EMBEDDED_LIBRARY) return { path: EMBEDDED_LIBRARY, source: 'embedded' }
  const built = fileURLToPath(new URL(`../../../../build/native/${libraryFileName()}`, import.meta.url))
  if (existsSync(built)) return { path: built, source: 'build' }
  return { reason: `no ${libraryFileName()} embedded or in build/native (run \`bun scripts/native.ts\`; it needs a C compiler)` }
}

const opened = new Map<object, { library: Library<Record<string, FFIFunction>>; path: string }>()

/**
 * Opens libpetal with the symbol table `symbols` (cached per table). Throws `E_NATIVE_UNAVAILABLE` when the
 * library is missing, cannot be loaded, lacks a symbol, or was built for another ABI version.
 */
export function openNativeLibrary<T extends Record<string, FFIFunction>>(symbols: T): { library: Library<T>; path: string } {
  const hit = opened.get(symbols)
  if (hit) return hit as unknown as { library: Library<T>; path: string }
  const where = locateLibrary()
  if ('reason' in where) throw new NativeUnavailableError(where.reason)
  // The version first, alone: a library from another ABI may lack symbols the table names.
  let version: number
  try {
    const probe = dlopen(where.path, { petal_abi_version: { args: [], returns: FFIType.i32 } })
    version = probe.symbols.petal_abi_version()
    probe.close()
  } catch (err) {
    throw new NativeUnavailableError(`cannot load ${where.path}`, { cause: err })
  }
  if (version !== ABI_VERSION) throw new NativeUnavailableError(`${where.path} has ABI version ${version}, this build needs ${ABI_VERSION} (rebuild it)`)
  let library: Library<T>
  try {
    library = dlopen(where.path, symbols)
  } catch (err) {
    throw new NativeUnavailableError(`cannot load ${where.path}`, { cause: err })
  }
  const entry = { library: library as unknown as Library<Record<string, FFIFunction>>, path: where.path }
  opened.set(symbols, entry)
  return entry as unknown as { library: Library<T>; path: string }
}

/** The platform's shared-library suffix, for messages. */
export const LIBRARY_SUFFIX = suffix
