/**
 * The sealed-piece locator: finds deal pieces inside recorded sectors for the dagstore and `/piece`. A
 * piece is read straight out of its sector's unsealed copy (`unsealed/<name>`), fr32-unpadded on the fly,
 * as Lotus's piece reader does; nothing is copied out. When the sector keeps no unsealed copy but its
 * replica is there, `unseal` recovers the unsealed copy (the proofs layer checks it against the sector's
 * CommD before it replaces anything), as Lotus's UnsealPiece does. A sector is unsealed once however many
 * shards ask for its pieces at the same time.
 */
import { statSync } from 'node:fs'
import type { SealingKernels } from '../../proofs/kernels/types.ts'
import { sectorPaths, type SectorStore } from '../../proofs/layout/paths.ts'
import { sectorSizeOfSealProof } from '../../proofs/sector/proof-types.ts'
import { unsealSector } from '../../proofs/unseal/index.ts'
import type { PieceLocator } from '../../store/dagstore/index.ts'
import { openSectorPieceReader } from './piece-reader.ts'
import { pieceKeyV1, type PiecePlacement, type SectorRecords } from './records.ts'

/** What the locator reports: a sector unsealed, with how long it took. */
export interface SectorLocatorEvent {
  level: 'info' | 'warn'
  msg: string
  [field: string]: unknown
}

/** Options of `createSectorLocator`. */
export interface SectorLocatorOptions {
  records: SectorRecords
  store: SectorStore
  /** Unsealing kernels (default: native when installed, else TypeScript). */
  kernels?: SealingKernels
  onEvent?: (e: SectorLocatorEvent) => void
}

/** Finds pieces in recorded sectors, and unseals sectors to reach them. */
export function createSectorLocator(opts: SectorLocatorOptions): PieceLocator {
  const { records, store } = opts
  const unsealing = new Map<number, Promise<void>>()
  /** The sector's file of `kind` when it is there and whole. */
  const sectorFile = (p: PiecePlacement, kind: 'unsealed' | 'sealed') => {
    const path = sectorPaths(store, p.sector.ref.id)[kind]
    return fileSize(path) === sectorSizeOfSealProof(p.sector.proofType) ? path : undefined
  }
  const placements = (key: string) => {
    const v1 = pieceKeyV1(key)
    return v1 === undefined ? [] : records.placements(v1)
  }

  return {
    // Pieces in sectors are never files of their own.
    async unsealedPath() {
      return undefined
    },

    async openUnsealed(key) {
      for (const p of placements(key)) {
        const path = sectorFile(p, 'unsealed')
        if (path) return openSectorPieceReader(path, p.offset, p.size)
      }
      return undefined
    },

    async hasSealed(key) {
      return placements(key).some((p) => sectorFile(p, 'sealed') !== undefined)
    },

    async unseal(key, { signal }) {
      for (const p of placements(key)) {
        if (!sectorFile(p, 'sealed')) continue
        const { number, ref, ticket, commD } = p.sector
        let running = unsealing.get(number)
        if (!running) {
          const started = performance.now()
          running = unsealSector(store, ref, { ticket, commD }, { kernels: opts.kernels, signal })
            .then(() => opts.onEvent?.({ level: 'info', msg: 'unsealed sector', sector: number, seconds: (performance.now() - started) / 1000 }))
            .finally(() => unsealing.delete(number))
          unsealing.set(number, running)
        }
        await running
        return true
      }
      return false
    },
  }
}

/** The size of a file, or -1 when there is none. */
function fileSize(path: string): number {
  try {
    const s = statSync(path)
    return s.isFile() ? s.size : -1
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return -1
    throw err
  }
}
