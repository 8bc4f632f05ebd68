/** Turns persisted mount URLs back into mounts after a restart. */
import { UnknownMountError } from '../errors.ts'
import type { Mount } from '../types.ts'
import { FileMount } from './file-mount.ts'
import { PieceMount, type PieceLocator } from './piece-mount.ts'

/** Makes a mount from its URL. */
export type MountResolver = (url: string) => Mount

/** The resolver for petal's two mount types. */
export function createMountResolver(locator: PieceLocator): MountResolver {
  return (url) => {
    if (url.startsWith('file://')) return FileMount.fromUrl(url)
    if (url.startsWith('piece://')) return PieceMount.fromUrl(url, locator)
    throw new UnknownMountError(url)
  }
}
