/**
 * The unsealed-piece mount (`piece://<pieceCid>`), as Lotus's LotusMount: it reads a deal's piece from
 * wherever an unsealed copy lives (the deal staging folder first; sector storage once sealing keeps
 * copies there), and when none does, asks the locator to unseal one.
 */
import { stat } from 'node:fs/promises'
import { MountUnavailableError, UnknownMountError } from '../errors.ts'
import type { Mount, MountReader, MountStat } from '../types.ts'
import { openFileReader } from './file-reader.ts'

/** Finds or produces an unsealed copy of a piece. Provided by the node. */
export interface PieceLocator {
  /** The path of an unsealed copy (the CAR followed by zero padding), or undefined. */
  unsealedPath(pieceCid: string): Promise<string | undefined>
  /** Produces an unsealed copy (unsealing a sector) and returns its path; absent when nothing is sealed. */
  unseal?(pieceCid: string, options: { signal?: AbortSignal }): Promise<string | undefined>
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
        // The copy vanished between lookup and stat: fall through to the sealed case.
      }
    }
    const sealed = (await this.locator.hasSealed?.(this.pieceCid)) ?? false
    return { exists: sealed, size: 0, ready: false }
  }

  async open(options: { signal?: AbortSignal } = {}): Promise<MountReader> {
    let path = await this.locator.unsealedPath(this.pieceCid)
    if (!path && this.locator.unseal) path = await this.locator.unseal(this.pieceCid, options)
    if (!path) throw new MountUnavailableError(this.url, { cause: new Error('no unsealed or sealed copy of the piece') })
    try {
      return openFileReader(path)
    } catch (cause) {
      throw new MountUnavailableError(this.url, { cause })
    }
  }
}
