/** `petal client retrieve`: verified retrieval from trustless gateways into the repo, resumable, then export. */
export * from './types.ts'
export * from './errors.ts'
export { CAR_ACCEPT, fetchCar, requestUrl, type CarResponse } from './fetch-car.ts'
export { getRecord, listRecords, lockRetrieval, normalizeProvider, readRecord, retrievalFiles, retrievalId, writeRecord } from './record.ts'
export { exportCar, exportEntity, exportUnixfs, type ExportOptions, type ExportResult } from './export.ts'
export { heldBlocks, orderRequest, retrieve } from './retrieve.ts'
export { toRecordJson, toRetrievalInfo, type RetrievalInfo, type RetrievalRecordJson } from './info.ts'
export { retrieveEvents, type ProgressFields, type RetrievalEvent } from './events.ts'
