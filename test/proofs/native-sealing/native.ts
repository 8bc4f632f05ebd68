/** The native sealing kernels for tests, or why they cannot load (no C compiler: those tests are skipped). */
import { forceNativeSha, openProofsNative, openSealingNative, type NativeSealingKernels } from '../../../src/node/runtime/native/index.ts'
import type { NativeSha } from '../../../src/proofs/native/types.ts'

function open(threads?: number): NativeSealingKernels | string {
  try {
    return openSealingNative({ threads })
  } catch (err) {
    return (err as Error).message
  }
}

const loaded = open()

/** The native kernels (threads as the machine allows), or null. */
export const nativeKernels: NativeSealingKernels | null = typeof loaded === 'string' ? null : loaded
/** Why there are none. */
export const nativeMissing: string | null = typeof loaded === 'string' ? loaded : null

/** Native kernels with a given labelling thread count (1 or 2); null without the library. */
export function nativeWithThreads(threads: 1 | 2): NativeSealingKernels | null {
  const k = open(threads)
  return typeof k === 'string' ? null : k
}

/** The SHA-256 implementations to test the native kernels under: the detected one, and portable. */
export function shaPaths(): NativeSha[] {
  if (!nativeKernels) return []
  const detected = openProofsNative().sha
  return detected === 'portable' ? ['portable'] : [detected, 'portable']
}

/** Runs `fn` with the native SHA-256 forced to `sha`, restoring the detected one after. */
export async function withSha<T>(sha: NativeSha, fn: () => T | Promise<T>): Promise<T> {
  const detected = openProofsNative().sha
  forceNativeSha(sha)
  try {
    return await fn()
  } finally {
    forceNativeSha(detected)
  }
}
