/** Two deal pieces (small CARs) sealed into one real 2 KiB sector, for the sector records and locator tests. */
import { CarBufferWriter } from '@ipld/car'
import { Piece } from '@web3-storage/data-segment'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import type { SectorStore } from '../../../src/proofs/layout/index.ts'
import type { PaddedPieceSize } from '../../../src/proofs/piece/size.ts'
import type { SealedSectorInput } from '../../../src/node/sectors/index.ts'
import { bytesFrom, MINER, sealSector, type SealedSector } from '../../proofs/post/sealed-sector.ts'

/** A deal piece: its CAR, the CAR zero-padded to the unpadded piece size, and its piece CID (reference package). */
export interface DealPiece {
  root: CID
  block: Uint8Array
  car: Uint8Array
  unpadded: Uint8Array
  pieceCid: string
  size: PaddedPieceSize
}

/** A CAR of one raw block of `n` bytes, as a 1 KiB (padded) piece. */
export async function dealPiece(seed: string, n = 900): Promise<DealPiece> {
  const block = bytesFrom(seed, n)
  const root = CID.createV1(raw.code, await sha256.digest(block))
  const w = CarBufferWriter.createWriter(new ArrayBuffer(2048), { roots: [root] })
  w.write({ cid: root, bytes: block })
  const car = w.close({ resize: true })
  const info = Piece.fromPayload(car).toInfo()
  const unpadded = new Uint8Array((Number(info.size) / 128) * 127)
  unpadded.set(car)
  return { root, block, car, unpadded, pieceCid: info.link.toString(), size: Number(info.size) as PaddedPieceSize }
}

/** Seals `pieces` (1 KiB each, in order) into sector `number` of `store`; returns the sector and its record. */
export async function sealPieces(store: SectorStore, number: number, pieces: DealPiece[]): Promise<{ sealed: SealedSector; input: SealedSectorInput }> {
  const payload = new Uint8Array((2048 / 128) * 127)
  let at = 0
  for (const p of pieces) {
    payload.set(p.unpadded, at)
    at += p.unpadded.length
  }
  const sealed = await sealSector(store, number, 2048, payload)
  const input: SealedSectorInput = {
    number,
    miner: MINER,
    proofType: sealed.sector.proofType,
    ticket: sealed.ticket,
    commD: sealed.commD,
    commR: sealed.commR,
    pieces: pieces.map((p) => ({ pieceCid: p.pieceCid, size: p.size })),
  }
  return { sealed, input }
}
