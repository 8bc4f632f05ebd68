/**
 * The file operations sealing needs, as an interface the caller passes in (the proofs library stays free
 * of any one runtime's file API), plus the positional, synchronous shape that keeps the hashing loops
 * simple: sealing is CPU-bound, and a sector's files are read and written a few MiB at a time.
 */

/** An open file. Reads and writes are positional. */
export interface SectorFile {
  /** Size in bytes when opened (reads) or written so far (writes). */
  size(): number
  /** Reads exactly `into.length` bytes at `position`; throws `E_SECTOR_FILE_SHORT` past the end. */
  read(into: Uint8Array, position: number): void
  /** Writes all of `bytes` at `position`. */
  write(bytes: Uint8Array, position: number): void
  /** Flushes to stable storage. */
  sync(): void
  close(): void
}

/** A file system. Paths are absolute or relative to the process; separators are '/'. */
export interface SectorFs {
  /** Opens for reading; throws `E_SECTOR_FILE_MISSING` when the file does not exist. */
  openRead(path: string): SectorFile
  /** Creates or truncates for writing. */
  openWrite(path: string): SectorFile
  /** Replaces `to` with `from` atomically. */
  rename(from: string, to: string): void
  /** Removes a file or directory tree; no error when it does not exist. */
  remove(path: string): void
  exists(path: string): boolean
  /** Creates a directory and its parents. */
  mkdirp(path: string): void
  /** Names in a directory (empty when it does not exist). */
  list(path: string): string[]
}

/** Joins path segments with '/'. */
export function joinPath(...parts: string[]): string {
  return parts.join('/').replace(/\/+/g, '/')
}

/** The directory part of a path. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/')
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i)
}
