/**
 * The sectors service: the records of sealed sectors in repo.db, the sector storage path (`sectors/`, laid
 * out as Lotus's: `sealed/`, `cache/`, `unsealed/`), and the sealed-piece locator, which it adds to the
 * dagstore's locators after the staging folder. With it, a shard whose piece is only inside a sealed
 * sector is unsealed when it is initialized (`initialize-all --include-sealed`, `register-shard`) or
 * acquired, and `/piece` serves pieces straight out of unsealed sectors. The sealing pipeline records its sectors here.
 */
import { createSectorStore, nodeSectorFs, type SectorStore } from '../../proofs/layout/index.ts'
import type { PieceLocator } from '../../store/dagstore/index.ts'
import { createSectorLocator, SectorRecords } from '../sectors/index.ts'
import type { DagstoreService } from './dagstore.ts'
import type { ServiceFactory } from './types.ts'

/** What later services get from `ctx.get('sectors')`. */
export interface SectorsService {
  records: SectorRecords
  store: SectorStore
  locator: PieceLocator
}

export const sectorsService: ServiceFactory = (ctx) => {
  const log = ctx.logs.logger('sectors')
  const records = new SectorRecords(ctx.repo.db)
  const store = createSectorStore(ctx.repo.paths.sectors, nodeSectorFs)
  const locator = createSectorLocator({ records, store, onEvent: ({ level, msg, ...fields }) => log[level](msg, fields) })
  ctx.get<DagstoreService>('dagstore').locators.push(locator)
  const value: SectorsService = { records, store, locator }
  return { name: 'sectors', value }
}
