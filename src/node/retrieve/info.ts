/** Retrievals as the JSON-RPC API shows them: Lotus-style capitalized fields, CIDs as `{"/": "…"}`. */
import type { ExportResult } from './export.ts'
import type { RetrievalRecord, RetrieveResult } from './types.ts'

/** A recorded retrieval on the wire. */
export interface RetrievalRecordJson {
  ID: string
  Root: { '/': string }
  Path: string
  Provider: string
  CarPath: string
  Status: RetrievalRecord['status']
  Blocks: number
  Bytes: number
  Error: string
  ErrorCode: string
  StartedAt: string
  FinishedAt: string | null
}

/** The result of one ClientRetrieve call. */
export interface RetrievalInfo extends RetrievalRecordJson {
  Terminal: { '/': string }
  Resumed: boolean
  Requests: number
  FetchedBlocks: number
  FetchedBytes: number
  /** Where the data was exported, when a FileRef was given. */
  Exported: { Path: string; IsCAR: boolean; Bytes: number } | null
}

/** A record as JSON. */
export function toRecordJson(r: RetrievalRecord): RetrievalRecordJson {
  return {
    ID: r.id,
    Root: { '/': r.root },
    Path: r.path,
    Provider: r.provider,
    CarPath: r.carPath,
    Status: r.status,
    Blocks: r.blocks,
    Bytes: r.bytes,
    Error: r.error?.message ?? '',
    ErrorCode: r.error?.code ?? '',
    StartedAt: r.startedAt,
    FinishedAt: r.finishedAt ?? null,
  }
}

/** A finished run as JSON. */
export function toRetrievalInfo(res: RetrieveResult & { exported?: ExportResult }): RetrievalInfo {
  return {
    ...toRecordJson(res.record),
    Terminal: { '/': res.terminal.toString() },
    Resumed: res.resumed,
    Requests: res.requests,
    FetchedBlocks: res.fetchedBlocks,
    FetchedBytes: res.fetchedBytes,
    Exported: res.exported ? { Path: res.exported.path, IsCAR: res.exported.car, Bytes: res.exported.bytes } : null,
  }
}
