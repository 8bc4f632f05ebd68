/**
 * Reads a piece out of the unsealed sector as the client's bytes: the padded range [offset, offset + size)
 * is read in 1 MiB steps and fr32-unpadded (127 of every 128 bytes), so memory stays bounded for any piece.
 */
import { fr32Unpad } from '../fr32/fr32.ts'
import { type SectorStore, sectorPaths } from '../layout/paths.ts'
import type { SectorRef } from '../porep/types.ts'
import { sealProofParams } from '../sector/proof-types.ts'
import { UnsealRangeInvalidError } from './errors.ts'

/** Padded bytes read per step. */
const STEP = 1 << 20

/** The unpadded bytes of the padded range `offset`, `size` of the unsealed sector. */
export async function* readUnsealedPiece(store: SectorStore, sector: SectorRef, offset: number, size: number, options: { signal?: AbortSignal; path?: string } = {}): AsyncIterable<Uint8Array> {
  const { sectorSize } = sealProofParams(sector.proofType)
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size <= 0 || offset % 128 !== 0 || size % 128 !== 0 || offset + size > sectorSize) {
    throw new UnsealRangeInvalidError(offset, size, sectorSize)
  }
  const file = store.fs.openRead(options.path ?? sectorPaths(store, sector.id).unsealed)
  try {
    for (let at = offset; at < offset + size; at += STEP) {
      options.signal?.throwIfAborted()
      const padded = new Uint8Array(Math.min(STEP, offset + size - at))
      file.read(padded, at)
      yield fr32Unpad(padded)
    }
  } finally {
    file.close()
  }
}
