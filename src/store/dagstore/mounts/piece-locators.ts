/**
 * Piece locators: where unsealed copies of deal pieces live. The staging folder (`<dir>/<pieceCid>`, the
 * deal's CAR followed by zero padding) is the first; the node's sealed sectors (src/node/sectors) join
 * through `chainLocators`.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { PieceLocator } from './piece-mount.ts'

/** Pieces stored as files named by their piece CID in `dir`. */
export function createFolderLocator(dir: string): PieceLocator {
  return {
    async unsealedPath(pieceCid) {
      if (!/^[a-z0-9]+$/i.test(pieceCid)) return undefined // a CID never holds a path separator
      const path = join(dir, pieceCid)
      try {
        return (await stat(path)).isFile() ? path : undefined
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw err
      }
    },
  }
}

/**
 * Asks each locator in turn: the first unsealed copy wins (files of their own before copies inside
 * sectors), then the first that can unseal one. The array is read on every call, so a part that opens
 * later (the sectors service) can push its locator onto it.
 */
export function chainLocators(locators: readonly PieceLocator[]): PieceLocator {
  return {
    async unsealedPath(pieceCid) {
      for (const l of locators) {
        const path = await l.unsealedPath(pieceCid)
        if (path) return path
      }
      return undefined
    },
    async openUnsealed(pieceCid) {
      for (const l of locators) {
        const reader = await l.openUnsealed?.(pieceCid)
        if (reader) return reader
      }
      return undefined
    },
    async unseal(pieceCid, options) {
      for (const l of locators) {
        if (!l.unseal || !((await l.hasSealed?.(pieceCid)) ?? true)) continue
        if (await l.unseal(pieceCid, options)) return true
      }
      return false
    },
    async hasSealed(pieceCid) {
      for (const l of locators) if (await l.hasSealed?.(pieceCid)) return true
      return false
    },
  }
}
