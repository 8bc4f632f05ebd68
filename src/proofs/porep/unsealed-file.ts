/**
 * The unsealed sector file: the sector's fr32-padded bytes, exactly one sector long, as Lotus's AddPiece
 * leaves them in `unsealed/<name>` (pieces one after another, zero filler to the end). PreCommit1 reads it;
 * unsealing writes it back.
 */
import { fr32PadStream } from '../fr32/stream.ts'
import { type PaddedPieceSize } from '../piece/size.ts'
import { createAtomicFile, withAtomicFile } from '../layout/atomic.ts'
import { type SectorStore, sectorPaths } from '../layout/paths.ts'
import { sealProofParams } from '../sector/proof-types.ts'
import { SectorFileSizeError } from '../layout/errors.ts'
import type { SectorRef } from './types.ts'

/**
 * fr32-pads a payload (at most 127/128 of the sector) into the sector's unsealed file, zero-filled to the
 * sector size, atomically. Returns the payload size.
 */
export async function writeUnsealedSector(store: SectorStore, sector: SectorRef, payload: AsyncIterable<Uint8Array> | Uint8Array, options: { signal?: AbortSignal } = {}): Promise<number> {
  const { sectorSize } = sealProofParams(sector.proofType)
  const source = payload instanceof Uint8Array ? once(payload) : payload
  const path = sectorPaths(store, sector.id).unsealed
  let payloadBytes = 0
  const counted = async function* () {
    for await (const chunk of source) {
      payloadBytes += chunk.length
      yield chunk
    }
  }
  const out = createAtomicFile(store.fs, path)
  try {
    let at = 0
    for await (const chunk of fr32PadStream(counted(), { pieceSize: sectorSize as PaddedPieceSize, signal: options.signal })) {
      out.file.write(chunk, at)
      at += chunk.length
    }
    if (at !== sectorSize) throw new SectorFileSizeError(path, sectorSize, at)
    out.commit()
  } catch (err) {
    out.abort()
    throw err
  }
  return payloadBytes
}

/** Writes already-padded sector bytes (exactly one sector) as the unsealed file, atomically. */
export function writePaddedSector(store: SectorStore, sector: SectorRef, padded: Uint8Array): void {
  const { sectorSize } = sealProofParams(sector.proofType)
  const path = sectorPaths(store, sector.id).unsealed
  if (padded.length !== sectorSize) throw new SectorFileSizeError(path, sectorSize, padded.length)
  withAtomicFile(store.fs, path, (file) => file.write(padded, 0))
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes
}
