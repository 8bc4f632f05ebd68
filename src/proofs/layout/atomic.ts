/**
 * Atomic files: written under a temporary name beside the target, flushed, then renamed over it, so a
 * crash leaves either the old file or the whole new one, never a torn one. A re-run of the phase simply
 * writes the temporary file again.
 */
import type { SectorFile, SectorFs } from './fs.ts'
import { dirname } from './fs.ts'

/** Suffix of files being written. */
export const TEMP_SUFFIX = '.tmp'

/** A file being written atomically. */
export interface AtomicFile {
  readonly file: SectorFile
  /** Flushes, closes and renames over the target. */
  commit(): void
  /** Closes and removes the temporary file. */
  abort(): void
}

/** Starts writing `path` atomically (its directory is created). */
export function createAtomicFile(fs: SectorFs, path: string): AtomicFile {
  fs.mkdirp(dirname(path))
  const temp = path + TEMP_SUFFIX
  const file = fs.openWrite(temp)
  let open = true
  return {
    file,
    commit() {
      file.sync()
      file.close()
      open = false
      fs.rename(temp, path)
    },
    abort() {
      if (open) file.close()
      open = false
      fs.remove(temp)
    },
  }
}

/** Writes `bytes` to `path` atomically. */
export function writeFileAtomic(fs: SectorFs, path: string, bytes: Uint8Array): void {
  const out = createAtomicFile(fs, path)
  try {
    out.file.write(bytes, 0)
    out.commit()
  } catch (err) {
    out.abort()
    throw err
  }
}

/** Reads a whole (small) file. */
export function readWholeFile(fs: SectorFs, path: string): Uint8Array {
  const file = fs.openRead(path)
  try {
    const bytes = new Uint8Array(file.size())
    file.read(bytes, 0)
    return bytes
  } finally {
    file.close()
  }
}

/** Runs `write` against an atomic file for `path`; commits when it returns, removes the temp file when it throws. */
export function withAtomicFile<T>(fs: SectorFs, path: string, write: (file: SectorFile) => T): T {
  const out = createAtomicFile(fs, path)
  try {
    const result = write(out.file)
    out.commit()
    return result
  } catch (err) {
    out.abort()
    throw err
  }
}
