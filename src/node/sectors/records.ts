/**
 * Sector records: every sealed sector the node holds, with the sealing inputs that make its key (ticket,
 * CommD, miner) and the deal pieces inside it, placed as Lotus lays them out (alignment and filler pieces
 * between). The sealing pipeline records a sector once its replica exists; the sealed-piece locator reads
 * the records to unseal a piece. A record is checked before it is kept: its pieces, laid out, must make its
 * CommD, so every piece's offset is the one the sector really has.
 */
import { CID } from 'multiformats/cid'
import { generateUnsealedCid, layoutSector, type PieceRef } from '../../proofs/commd/commd.ts'
import { equalBytes } from '../../proofs/merkle/proof.ts'
import { pieceCidV1Of } from '../../proofs/piece/cid.ts'
import type { PaddedPieceSize } from '../../proofs/piece/size.ts'
import type { SectorRef } from '../../proofs/porep/types.ts'
import { sectorSizeOfSealProof, type RegisteredSealProof } from '../../proofs/sector/proof-types.ts'
import { createSectorId } from '../../proofs/sector/sector-id.ts'
import type { SqlDatabase } from '../../store/sql.ts'
import { SectorRecordInvalidError } from './errors.ts'

/** A sealed sector as the sealing pipeline records it. */
export interface SealedSectorInput {
  number: number
  /** The miner actor ID the sector belongs to (part of the sector ID and the prover ID). */
  miner: number | bigint
  proofType: RegisteredSealProof
  ticket: Uint8Array
  commD: Uint8Array
  commR: Uint8Array
  /**
   * Deal pieces (v1 piece CIDs and padded sizes, as Lotus's abi.PieceInfo) in the order they were added;
   * filler pieces are implied, as in `layoutSector`.
   */
  pieces: readonly PieceRef[]
}

/** A recorded sector. */
export interface SectorRecord {
  number: number
  miner: bigint
  proofType: RegisteredSealProof
  ticket: Uint8Array
  commD: Uint8Array
  commR: Uint8Array
  /** The sector as the proofs layer names it. */
  ref: SectorRef
}

/** Where a piece lies in a recorded sector (padded bytes). */
export interface PiecePlacement {
  pieceCid: string
  sector: SectorRecord
  offset: number
  size: PaddedPieceSize
}

interface SectorRow {
  number: number
  miner: number | bigint
  proof_type: number
  ticket: Uint8Array
  comm_d: Uint8Array
  comm_r: Uint8Array
}

/** The v1 piece CID string of a key in either form, or undefined when the key is no piece CID. */
export function pieceKeyV1(key: string): string | undefined {
  try {
    return pieceCidV1Of(CID.parse(key))?.toString()
  } catch {
    return undefined
  }
}

/** The `sectors` and `sector_pieces` tables of the repo database. */
export class SectorRecords {
  constructor(private readonly db: SqlDatabase) {}

  /**
   * Records a sealed sector and returns where each piece lies. Recording the same sector again with the
   * same values is a no-op; with other values it is refused.
   */
  record(input: SealedSectorInput): PiecePlacement[] {
    const { number } = input
    if (!Number.isSafeInteger(number) || number < 0) throw new SectorRecordInvalidError(number, 'the sector number must be a non-negative integer')
    let sectorSize: number
    try {
      sectorSize = sectorSizeOfSealProof(input.proofType)
    } catch (cause) {
      throw new SectorRecordInvalidError(number, `seal proof ${input.proofType} is not known`, { cause })
    }
    for (const [what, bytes] of [['ticket', input.ticket], ['CommD', input.commD], ['CommR', input.commR]] as const) {
      if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new SectorRecordInvalidError(number, `${what} must be 32 bytes`)
    }
    let slots: ReturnType<typeof layoutSector>
    let made: CID
    try {
      slots = layoutSector(sectorSize, input.pieces)
      made = generateUnsealedCid(sectorSize, input.pieces)
    } catch (cause) {
      throw new SectorRecordInvalidError(number, (cause as Error).message, { cause })
    }
    if (!equalBytes(made.multihash.digest, input.commD)) throw new SectorRecordInvalidError(number, `its pieces make CommD ${made}, not the sector's`)
    const placements = slots
      .filter((s) => s.piece !== null)
      .map((s) => ({ offset: s.offset, size: s.size, pieceCid: pieceKeyV1(String(input.pieces[s.piece!].pieceCid))! }))
    const record = toRecord({ number, miner: BigInt(input.miner), proof_type: input.proofType, ticket: input.ticket, comm_d: input.commD, comm_r: input.commR })
    this.db.transaction(() => {
      const existing = this.get(number)
      if (existing) {
        const same =
          existing.miner === record.miner &&
          existing.proofType === record.proofType &&
          equalBytes(existing.ticket, record.ticket) &&
          equalBytes(existing.commD, record.commD) &&
          equalBytes(existing.commR, record.commR)
        if (!same) throw new SectorRecordInvalidError(number, 'already recorded with other sealing values')
        return
      }
      this.db
        .query('INSERT INTO sectors (number, miner, proof_type, ticket, comm_d, comm_r) VALUES (?, ?, ?, ?, ?, ?)')
        .run(number, record.miner, input.proofType, input.ticket, input.commD, input.commR)
      const put = this.db.query('INSERT INTO sector_pieces (sector_number, offset, size, piece_cid) VALUES (?, ?, ?, ?)')
      for (const p of placements) put.run(number, p.offset, p.size, p.pieceCid)
    })()
    return placements.map((p) => ({ ...p, sector: record }))
  }

  /** A recorded sector, or undefined. */
  get(number: number): SectorRecord | undefined {
    const row = this.db.query<SectorRow>('SELECT number, miner, proof_type, ticket, comm_d, comm_r FROM sectors WHERE number = ?').get(number)
    return row ? toRecord(row) : undefined
  }

  /** Every recorded sector, by number. */
  list(): SectorRecord[] {
    return this.db.query<SectorRow>('SELECT number, miner, proof_type, ticket, comm_d, comm_r FROM sectors ORDER BY number').all().map(toRecord)
  }

  /** The places of a piece (v1 or v2 piece CID) in recorded sectors, lowest sector first. */
  placements(pieceCid: string): PiecePlacement[] {
    const key = pieceKeyV1(pieceCid)
    if (key === undefined) return []
    const rows = this.db
      .query<SectorRow & { offset: number; size: number }>(
        `SELECT s.number, s.miner, s.proof_type, s.ticket, s.comm_d, s.comm_r, p.offset, p.size
           FROM sector_pieces p JOIN sectors s ON s.number = p.sector_number
          WHERE p.piece_cid = ? ORDER BY s.number, p.offset`,
      )
      .all(key)
    return rows.map((r) => ({ pieceCid: key, sector: toRecord(r), offset: r.offset, size: r.size as PaddedPieceSize }))
  }

  /** Forgets a sector and its pieces (its files are the caller's). */
  remove(number: number): boolean {
    return this.db.transaction(() => {
      this.db.query('DELETE FROM sector_pieces WHERE sector_number = ?').run(number)
      return this.db.query('DELETE FROM sectors WHERE number = ?').run(number).changes > 0
    })()
  }
}

function toRecord(row: SectorRow): SectorRecord {
  const miner = BigInt(row.miner)
  const proofType = row.proof_type as RegisteredSealProof
  return {
    number: row.number,
    miner,
    proofType,
    ticket: new Uint8Array(row.ticket),
    commD: new Uint8Array(row.comm_d),
    commR: new Uint8Array(row.comm_r),
    ref: { id: createSectorId(miner, row.number), proofType },
  }
}
