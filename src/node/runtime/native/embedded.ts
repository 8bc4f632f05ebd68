/**
 * Paths baked into the single binary. In a source checkout both are empty; scripts/native.ts's
 * `nativeEmbedPlugin` replaces this module at `bun build --compile` time with one that imports the compiled
 * library `with { type: "file" }` (so it is embedded and dlopen can open it) and names the worker entry
 * points as the binary's module graph knows them.
 */

/** The embedded native library, or null when running from source or when none was built. */
export const EMBEDDED_LIBRARY: string | null = null

/** Worker entry points inside the binary, by name (`commp`); empty when running from source. */
export const EMBEDDED_WORKERS: Readonly<Record<string, string>> = {}
