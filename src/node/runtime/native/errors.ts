/** Errors of loading and calling the native library. */
import { NodeError } from '../../errors.ts'

/** The native library cannot be used: missing, built for another ABI, or unloadable here. */
export class NativeUnavailableError extends NodeError {
  override name = 'NativeUnavailableError'
  constructor(reason: string, options?: ErrorOptions) {
    super('E_NATIVE_UNAVAILABLE', `native library unavailable: ${reason}`, options)
  }
}

/** PETAL_NATIVE (or the config key) holds something other than auto, on or off. */
export class NativeModeInvalidError extends NodeError {
  override name = 'NativeModeInvalidError'
  constructor(value: string) {
    super('E_NATIVE_MODE_INVALID', `native mode must be auto, on or off, got ${JSON.stringify(value)}`)
  }
}

/** A native function returned a failure status the TypeScript layer did not expect. */
export class NativeCallError extends NodeError {
  override name = 'NativeCallError'
  constructor(fn: string, status: number) {
    super('E_NATIVE_CALL_FAILED', `${fn} returned status ${status}`)
  }
}

/** A hashing worker crashed or could not start. */
export class WorkerFailedError extends NodeError {
  override name = 'WorkerFailedError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_WORKER_FAILED', `hashing worker failed: ${message}`, options)
  }
}

/** A file that got shorter while it was being hashed. */
export class FileChangedError extends NodeError {
  override name = 'FileChangedError'
  constructor(message: string) {
    super('E_FILE_CHANGED', message)
  }
}
