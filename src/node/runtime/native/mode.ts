/**
 * Chooses between the native library and the TypeScript path. The mode comes from `setNativeMode` (the
 * config key), else $PETAL_NATIVE, else `auto`: auto uses the library when it loads, `on` requires it, `off`
 * never loads it. `installNative` applies the mode to the proofs library once; `nativeStatus` reports it.
 */
import { setSealingNative } from '../../../proofs/kernels/backend.ts'
import { setProofsNative } from '../../../proofs/native/backend.ts'
import { setCarNative, type CarNative } from '../../../store/car/native.ts'
import type { NativeSha, ProofsNative } from '../../../proofs/native/types.ts'
import { NativeModeInvalidError } from './errors.ts'
import { openCarNative } from './car-native.ts'
import { openProofsNative } from './proofs-native.ts'
import { openSealingNative } from './sealing-native.ts'

/** auto: native when the library loads; on: native or fail; off: TypeScript only. */
export type NativeMode = 'auto' | 'on' | 'off'

/** What `petal version` shows about the proofs path. */
export interface NativeStatus {
  /** True when commP and fr32 run in the native library. */
  active: boolean
  mode: NativeMode
  /** Path of the loaded library. */
  library?: string
  /** Why the native path is not active (off, missing, failed to load). */
  reason?: string
  /** The SHA-256 in use: the library's, or the TypeScript path's. */
  sha: NativeSha | 'typescript'
}

let chosen: NativeMode | undefined
let status: NativeStatus | undefined
let native: ProofsNative | null = null

/** Parses a mode; throws `E_NATIVE_MODE_INVALID` for anything but auto, on, off. */
export function parseNativeMode(value: string): NativeMode {
  const v = value.trim().toLowerCase()
  if (v === 'auto' || v === 'on' || v === 'off') return v
  throw new NativeModeInvalidError(value)
}

/** The mode in force: set programmatically, else $PETAL_NATIVE, else auto. */
export function nativeMode(): NativeMode {
  if (chosen) return chosen
  const env = process.env.PETAL_NATIVE
  return env ? parseNativeMode(env) : 'auto'
}

/** Sets the mode (the config key does this at start-up) and applies it now. */
export function setNativeMode(mode: NativeMode): NativeStatus {
  chosen = parseNativeMode(mode)
  status = undefined
  return installNative()
}

/**
 * Applies the mode to the proofs library (idempotent): commP/fr32, the sealing kernels (labelling, tree
 * and column hashing, field maps) and the store's CAR kernels (index scan and encode) switch together.
 * `on` throws `E_NATIVE_UNAVAILABLE` when the library cannot be used; `auto` falls back to TypeScript and
 * records why.
 */
export function installNative(): NativeStatus {
  if (status) return status
  const mode = nativeMode()
  if (mode === 'off') {
    native = null
    setProofsNative(null)
    setSealingNative(null)
    setCarNative(null)
    status = { active: false, mode, reason: 'disabled (native mode off)', sha: 'typescript' }
    return status
  }
  try {
    const sealing = openSealingNative()
    native = openProofsNative()
    setProofsNative(native)
    setSealingNative(sealing)
    // The CAR kernels on their own: a library without them (an older build named by PETAL_NATIVE_LIBRARY)
    // still serves the proofs in auto mode, and the store keeps its TypeScript path.
    let car: CarNative | null = null
    try {
      car = openCarNative()
    } catch (err) {
      if (mode === 'on') throw err
    }
    setCarNative(car)
    status = { active: true, mode, library: native.library, sha: native.sha }
  } catch (err) {
    if (mode === 'on') throw err
    native = null
    setProofsNative(null)
    setSealingNative(null)
    setCarNative(null)
    status = { active: false, mode, reason: (err as Error).message, sha: 'typescript' }
  }
  return status
}

/** Which proofs path is active (installing per the mode on first use); reports failures instead of throwing. */
export function nativeStatus(): NativeStatus {
  let mode: NativeMode
  try {
    mode = nativeMode()
  } catch (err) {
    return { active: false, mode: 'auto', reason: (err as Error).message, sha: 'typescript' }
  }
  let s: NativeStatus
  try {
    s = installNative()
  } catch (err) {
    return { active: false, mode, reason: (err as Error).message, sha: 'typescript' }
  }
  // Tests may force another SHA-256 after install; report the one in use now.
  return native ? { ...s, sha: native.sha } : s
}
