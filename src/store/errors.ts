/**
 * Base class of every error the store layer throws. Subclasses set `name` as a string literal (minified
 * builds rename classes) and pass a stable `code` such as `E_CAR_BAD_PRAGMA`; callers and tests match on
 * `code`, never on the message.
 */
export class StoreError extends Error {
  override name = 'StoreError'
  readonly code: string

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** petal's code for a system error code from the file system. */
const FS_CODES: Readonly<Record<string, string>> = {
  ENOENT: 'E_FILE_NOT_FOUND',
  ENOTDIR: 'E_FILE_NOT_FOUND',
  EACCES: 'E_FILE_PERMISSION',
  EPERM: 'E_FILE_PERMISSION',
  EROFS: 'E_FILE_PERMISSION',
  EISDIR: 'E_FILE_IS_DIRECTORY',
  EEXIST: 'E_FILE_EXISTS',
  ENOSPC: 'E_NO_SPACE',
  EDQUOT: 'E_NO_SPACE',
  EMFILE: 'E_TOO_MANY_OPEN_FILES',
  ENFILE: 'E_TOO_MANY_OPEN_FILES',
}

const FS_TEXT: Readonly<Record<string, string>> = {
  E_FILE_NOT_FOUND: 'no such file',
  E_FILE_PERMISSION: 'permission denied',
  E_FILE_IS_DIRECTORY: 'is a directory',
  E_FILE_EXISTS: 'already exists',
  E_NO_SPACE: 'no space left on the device',
  E_TOO_MANY_OPEN_FILES: 'too many open files',
  E_FILE_IO: 'input/output error',
}

/** A file-system failure (missing file, permissions, full disk, …) naming the path, with the system error as cause. */
export class FileSystemError extends StoreError {
  override name = 'FileSystemError'
  readonly path: string
  /** The system's code, e.g. ENOENT. */
  readonly syscallCode: string

  constructor(code: string, path: string, syscallCode: string, options?: ErrorOptions) {
    super(code, `${path}: ${FS_TEXT[code] ?? 'file system error'} (${syscallCode})`, options)
    this.path = path
    this.syscallCode = syscallCode
  }
}

/** True for errors Node/Bun raise from system calls (`code` like ENOENT, with `syscall`). */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | null
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string'
}

/** Turns a system error into a FileSystemError about `path` (or the error's own path); anything else passes through. */
export function toFileSystemError(err: unknown, path?: string): unknown {
  if (!isSystemError(err)) return err
  const code = FS_CODES[err.code!] ?? 'E_FILE_IO'
  return new FileSystemError(code, path ?? err.path ?? '(unknown path)', err.code!, { cause: err })
}
