/** Errors of computing commP from files and standard input. */
import { NodeError } from '../errors.ts'

/** The input file cannot be read: missing, a directory, no permission. */
export class FileUnreadableError extends NodeError {
  override name = 'FileUnreadableError'
  constructor(path: string, options?: ErrorOptions & { reason?: string }) {
    super('E_FILE_UNREADABLE', `${path}: ${options?.reason ?? describe(options?.cause)}`, options)
  }
}

function describe(cause: unknown): string {
  switch ((cause as { code?: string } | undefined)?.code) {
    case 'ENOENT':
      return 'no such file'
    case 'EISDIR':
      return 'is a directory'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    default:
      return 'cannot read'
  }
}

/** A `--threads` value that is not a positive integer. */
export class ThreadsInvalidError extends NodeError {
  override name = 'ThreadsInvalidError'
  constructor(value: string) {
    super('E_THREADS_INVALID', `--threads must be a positive integer, got ${JSON.stringify(value)}`)
  }
}
