/** Types of retrieving a DAG from a trustless gateway into the repo and exporting it. */
import type { CID } from 'multiformats/cid'

/** What to retrieve: `<root>[/path]` from one provider (a trustless gateway's base URL). */
export interface RetrievalOrder {
  root: CID
  /** Path segments after the root, already percent-decoded. */
  path?: readonly string[]
  /** Base URL of the provider, e.g. `http://127.0.0.1:1234` or `https://trustless-gateway.link`. */
  provider: string
}

/** Where to write the retrieved data: a CARv1 file or the UnixFS file / directory itself. */
export interface ExportTarget {
  path: string
  /** true: a CARv1 of the DAG under the path's end; false: the file bytes or directory tree. */
  car: boolean
}

/** How far a retrieval has got. */
export type RetrievalStatus = 'retrieving' | 'failed' | 'complete'

/** A retrieval as recorded in `<repo>/retrievals/<id>.json` beside its CARv2. */
export interface RetrievalRecord {
  /** Stable for (root, path, provider): running the same order again continues it. */
  id: string
  root: string
  /** `/`-joined path after the root ('' for none). */
  path: string
  provider: string
  /** Absolute path of the ReadWrite CARv2 the blocks are written to. */
  carPath: string
  status: RetrievalStatus
  /** Verified blocks held, and the bytes of their data. */
  blocks: number
  bytes: number
  /** Stable code and message of the last failure, when status is `failed`. */
  error?: { code: string; message: string }
  startedAt: string
  finishedAt?: string
}

/** Progress of one run: what arrived verified in this run, and what was already held when it started. */
export interface RetrieveProgress {
  /** Blocks and data bytes received and verified in this run. */
  blocks: number
  bytes: number
  /** Data bytes held from an earlier run when this one started. */
  heldBytes: number
  /** The terminal entity's size when it is a UnixFS file or raw block (known once its first block arrives). */
  total?: number
  /** Requests sent to the provider so far, and how many the plan had. */
  requests: number
  planned: number
}

/** Options of `retrieve`. */
export interface RetrieveOptions {
  /** `<repo>/retrievals`: where the CARv2 and its record live. */
  dir: string
  signal?: AbortSignal
  onProgress?: (progress: RetrieveProgress) => void
  /** Extra request headers (e.g. `Authorization` for a gateway behind a token). */
  headers?: Record<string, string>
  /** Largest block accepted (default 2 MiB, as the trustless gateway spec advises). */
  maxBlockSize?: number
  /** fetch() to use (default: the global one). */
  fetch?: typeof fetch
}

/** What a finished retrieval reports. */
export interface RetrieveResult {
  record: RetrievalRecord
  /** What this run did: requests sent and verified blocks / data bytes received. */
  requests: number
  fetchedBlocks: number
  fetchedBytes: number
  /** Whether the run continued an earlier, interrupted one. */
  resumed: boolean
  /** The CID at the end of the path (the root when there is no path). */
  terminal: CID
}
