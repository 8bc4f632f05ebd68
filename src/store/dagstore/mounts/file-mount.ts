/** A mount over a CAR or piece file on disk (`file:///abs/path`). */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { MountUnavailableError } from '../errors.ts'
import type { Mount, MountReader, MountStat } from '../types.ts'
import { openFileReader } from './file-reader.ts'

/** Mounts the file at `path`. */
export class FileMount implements Mount {
  readonly path: string
  readonly url: string

  constructor(path: string) {
    this.path = resolve(path)
    this.url = pathToFileURL(this.path).href
  }

  /** The mount a `file://` URL names. */
  static fromUrl(url: string): FileMount {
    return new FileMount(fileURLToPath(url))
  }

  async stat(): Promise<MountStat> {
    try {
      const s = await stat(this.path)
      return { exists: s.isFile(), size: s.size, ready: s.isFile() }
    } catch {
      return { exists: false, size: 0, ready: false }
    }
  }

  async open(): Promise<MountReader> {
    try {
      return openFileReader(this.path)
    } catch (cause) {
      throw new MountUnavailableError(this.url, { cause })
    }
  }
}
