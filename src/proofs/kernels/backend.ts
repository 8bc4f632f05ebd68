/**
 * Which kernels run: the node installs the native ones at start-up (PETAL_NATIVE=auto|on|off, see
 * src/node/runtime/native), and every sealing function also takes `kernels` as an option so tests and
 * benchmarks can run both side by side.
 */
import { typescriptKernels } from './typescript.ts'
import type { SealingKernels } from './types.ts'

let installed: SealingKernels | null = null

/** Installs the native kernels (or removes them with null). */
export function setSealingNative(native: SealingKernels | null): void {
  installed = native
}

/** The installed native kernels, or null. */
export function getSealingNative(): SealingKernels | null {
  return installed
}

/** The kernels to use: the caller's, else the installed native ones, else TypeScript. */
export function resolveKernels(kernels?: SealingKernels): SealingKernels {
  return kernels ?? installed ?? typescriptKernels
}
