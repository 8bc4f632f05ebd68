/**
 * The unsealed-piece mount (`piece://<pieceCid>`), as Lotus's LotusMount: it reads a deal's piece from
 * wherever an unsealed copy lives (the deal staging folder first, then a sector's unsealed copy), and
 * when none does, asks the locator to unseal one.
 */
import { stat } from 'node:fs/promises'
import { MountUnavailableError, UnknownMountError } from '../errors.ts'
import type { Mount, MountReader, MountStat } from '../types.ts'
import { openFileReader } from './file-reader.ts'

/** Finds or produces an unsealed copy of a piece. Provided by the node. */
export interface PieceLocator {
  /** The path of an unsealed copy that is a file of its own (the CAR followed by zero padding), or undefined. */
  unsealedPath(pieceCid: string): Promise<string | undefined>
  /** Opens an unsealed copy that is not a file of its own (a piece inside an unsealed sector), or undefined. */
  openUnsealed?(pieceCid: string): Promise<MountReader | undefined>
  /** Produces an unsealed copy (unsealing a sector); true when one exists now. Absent when nothing is sealed. */
  unseal?(pieceCid: string, options: { signal?: AbortSignal }): Promise<boolean>
  /** Whether a sealed copy exists that `unseal` could use. */
  hasSealed?(pieceCid: string): Promise<boolean>
}

const SCHEME = 'piece://'

/** Mounts the piece `pieceCid` through `locator`. */
export class PieceMount implements Mount {
  readonly url: string

  constructor(
    readonly pieceCid: string,
    readonly locator: PieceLocator,
  ) {
    this.url = `${SCHEME}${pieceCid}`
  }

  /** The mount a `piece://` URL names. */
  static fromUrl(url: string, locator: PieceLocator): PieceMount {
    if (!url.startsWith(SCHEME) || url.length === SCHEME.length) throw new UnknownMountError(url)
    return new PieceMount(url.slice(SCHEME.length), locator)
  }

  async stat(): Promise<MountStat> {
    const path = await this.locator.unsealedPath(this.pieceCid)
    if (path) {
      try {
        const s = await stat(path)
        return { exists: true, size: s.size, ready: true }
      } catch {
        // The copy vanished between lookup and stat: look further.
      }
    }
    const reader = await this.locator.openUnsealed?.(this.pieceCid)
    if (reader) {
      reader.close()
      return { exists: true, size: reader.size, ready: true }
    }
    const sealed = (await this.locator.hasSealed?.(this.pieceCid)) ?? false
    return { exists: sealed, size: 0, ready: false }
  }

  async open(options: { signal?: AbortSignal } = {}): Promise<MountReader> {
    try {
      let reader = await this.#openCopy()
      if (!reader && this.locator.unseal && (await this.locator.unseal(this.pieceCid, options))) reader = await this.#openCopy()
      if (reader) return reader
    } catch (cause) {
      // A cancelled unseal is the caller's doing, not the mount's.
      if (options.signal?.aborted) throw cause
      throw new MountUnavailableError(this.url, { cause })
    }
    throw new MountUnavailableError(this.url, { cause: new Error('no unsealed or sealed copy of the piece') })
  }

  /** An unsealed copy: a file of its own first, then one inside a sector. */
  async #openCopy(): Promise<MountReader | undefined> {
    const path = await this.locator.unsealedPath(this.pieceCid)
    return path ? openFileReader(path) : this.locator.openUnsealed?.(this.pieceCid)
  }
}
