/** File opening for the store layer: system errors become typed FileSystemErrors naming the path. */
import { fstatSync, openSync, closeSync, type OpenMode } from 'node:fs'
import { FileSystemError, toFileSystemError } from './errors.ts'

/** `openSync` with typed errors; a directory opened for reading is `E_FILE_IS_DIRECTORY` at once. */
export function openFile(path: string, flags: OpenMode, mode?: number): number {
  let fd: number
  try {
    fd = openSync(path, flags, mode)
  } catch (err) {
    throw toFileSystemError(err, path)
  }
  if (flags === 'r' || flags === 'r+') {
    let dir = false
    try {
      dir = fstatSync(fd).isDirectory()
    } catch (err) {
      closeSync(fd)
      throw toFileSystemError(err, path)
    }
    if (dir) {
      closeSync(fd)
      throw new FileSystemError('E_FILE_IS_DIRECTORY', path, 'EISDIR')
    }
  }
  return fd
}
