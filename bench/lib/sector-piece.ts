/**
 * Lays a CAR into a sector of a sector store as its only deal piece, as the sealing pipeline leaves an
 * unsealed copy: fr32-padded at offset 0, and the zeros after it left as a hole. Records the sector in the
 * repo database (`sectors`, `sector_pieces`). No replica is made: the benches read the unsealed copy.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { SectorRecords } from '../../src/node/sectors/index.ts'
import { generateUnsealedCid, SECTOR_SIZES } from '../../src/proofs/commd/commd.ts'
import { fr32Pad } from '../../src/proofs/fr32/fr32.ts'
import { sectorPaths, type SectorStore } from '../../src/proofs/layout/index.ts'
import { getProofsNative } from '../../src/proofs/native/backend.ts'
import type { PaddedPieceSize } from '../../src/proofs/piece/size.ts'
import { sealProofForSize } from '../../src/proofs/sector/proof-types.ts'
import type { SqlDatabase } from '../../src/store/sql.ts'

/** Writes sector `number` holding the CAR at `carPath` (piece `pieceCid` of `pieceSize`); returns the unsealed file's path. */
export function layPieceInSector(db: SqlDatabase, store: SectorStore, number: number, carPath: string, pieceCid: string, pieceSize: number): string {
  const sectorSize = SECTOR_SIZES.find((s) => s >= pieceSize)!
  const pieces = [{ pieceCid, size: pieceSize as PaddedPieceSize }]
  const commD = generateUnsealedCid(sectorSize, pieces).multihash.digest
  const [placed] = new SectorRecords(db).record({ number, miner: 1000, proofType: sealProofForSize(sectorSize), ticket: new Uint8Array(32), commD, commR: new Uint8Array(32), pieces })
  const path = sectorPaths(store, placed.sector.ref.id).unsealed
  mkdirSync(dirname(path), { recursive: true })
  const out = openSync(path, 'w')
  const input = openSync(carPath, 'r')
  const chunk = new Uint8Array(127 << 13)
  const padded = new Uint8Array(128 << 13)
  const native = getProofsNative()
  for (let at = 0, n: number; (n = readSync(input, chunk, 0, chunk.length, at)) > 0; at += n) {
    const whole = Math.ceil(n / 127) * 127
    chunk.fill(0, n, whole)
    if (native) native.fr32Pad(chunk.subarray(0, whole), padded)
    else fr32Pad(chunk.subarray(0, whole), padded)
    writeSync(out, padded, 0, (whole / 127) * 128)
  }
  closeSync(input)
  ftruncateSync(out, sectorSize)
  closeSync(out)
  return path
}
