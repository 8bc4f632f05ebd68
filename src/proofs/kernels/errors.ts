/** Errors of the sealing kernels' argument checks (both paths check the same way). */
import { ProofsError } from '../errors.ts'

/** A buffer handed to a sealing kernel has the wrong length, or an index or count is out of range. */
export class KernelArgumentError extends ProofsError {
  override name = 'KernelArgumentError'
  constructor(kernel: string, detail: string) {
    super('E_KERNEL_ARGUMENT', `${kernel}: ${detail}`)
  }
}
