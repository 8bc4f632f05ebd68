/**
 * One trustless-gateway request over HTTP: `GET {provider}/ipfs/{root}[/path]?format=car&dag-scope=…` with
 * `Accept: application/vnd.ipld.car;version=1;order=dfs;dups=n`, answered by a stream of the CAR's blocks,
 * unverified (verifyDag checks them). Transport failures and non-CAR answers become typed errors here.
 * https://specs.ipfs.tech/http-gateways/trustless-gateway/#car-format-signaling-in-request
 */
import { readCarStream } from '../../store/car/read-stream.ts'
import { formatEntityBytes, isWholeEntity } from '../../store/dag/params.ts'
import type { Block, DagRequest } from '../../store/dag/types.ts'
import { RetrieveBadResponseError, RetrieveProviderStatusError, RetrieveTransferError } from './errors.ts'

/** The Accept header every request sends (IPIP-412: ordered DFS, no duplicates). */
export const CAR_ACCEPT = 'application/vnd.ipld.car;version=1;order=dfs;dups=n'

/** A CAR response being read. */
export interface CarResponse {
  url: string
  /** Whether the response declares duplicates (`dups=y`); what was asked for (n) when it says nothing. */
  dups: boolean
  /** The response's blocks in order, as sent. */
  blocks: AsyncIterable<Block>
}

/** The URL of `request` at `provider` (a normalized base URL). */
export function requestUrl(provider: string, request: DagRequest): string {
  const path = (request.path ?? []).map((s) => `/${encodeURIComponent(s)}`).join('')
  let query = `format=car&dag-scope=${request.scope ?? (request.entityBytes ? 'entity' : 'all')}`
  if (request.entityBytes !== undefined && !isWholeEntity(request.entityBytes)) query += `&entity-bytes=${formatEntityBytes(request.entityBytes)}`
  return `${provider}/ipfs/${request.root.toString()}${path}?${query}`
}

/** Parameters of a media type, lower-cased names. */
function mediaParams(contentType: string): { type: string; params: Map<string, string> } {
  const [type, ...rest] = contentType.split(';')
  const params = new Map<string, string>()
  for (const part of rest) {
    const eq = part.indexOf('=')
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().replace(/^"|"$/g, ''))
  }
  return { type: type.trim().toLowerCase(), params }
}

/** The body's chunks; a broken connection becomes RetrieveTransferError, and leaving early cancels the body. */
async function* bodyChunks(body: ReadableStream<Uint8Array>, url: string): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  let finished = false
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>
      try {
        next = await reader.read()
      } catch (err) {
        finished = true
        throw new RetrieveTransferError(url, 'the connection broke while the response streamed', { cause: err })
      }
      if (next.done) {
        finished = true
        return
      }
      yield next.value
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}

/** Sends `request` to `provider` and returns its CAR's blocks; throws before reading when the answer is not a CAR. */
export async function fetchCar(
  provider: string,
  request: DagRequest,
  options: { signal?: AbortSignal; headers?: Record<string, string>; fetch?: typeof fetch; maxSectionSize?: number } = {},
): Promise<CarResponse> {
  const url = requestUrl(provider, request)
  let res: Response
  try {
    res = await (options.fetch ?? fetch)(url, { headers: { ...options.headers, Accept: CAR_ACCEPT }, signal: options.signal, redirect: 'follow' })
  } catch (err) {
    if (options.signal?.aborted === true) throw err
    throw new RetrieveTransferError(url, 'the provider could not be reached', { cause: err })
  }
  if (res.status !== 200) {
    const detail = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ').trim()
    throw new RetrieveProviderStatusError(url, res.status, detail)
  }
  const { type, params } = mediaParams(res.headers.get('content-type') ?? '')
  if (type !== 'application/vnd.ipld.car') {
    await res.body?.cancel()
    throw new RetrieveBadResponseError(url, `the provider answered ${type || 'without a Content-Type'}, not application/vnd.ipld.car`)
  }
  const version = params.get('version')
  const order = params.get('order')
  if ((version !== undefined && version !== '1') || (order !== undefined && order !== 'dfs' && order !== 'unk')) {
    await res.body?.cancel()
    throw new RetrieveBadResponseError(url, `the provider answered a CAR with version=${version ?? '1'} order=${order ?? 'unk'}; petal reads version=1 in dfs order`)
  }
  if (res.body === null) throw new RetrieveBadResponseError(url, 'the provider answered with an empty body')
  const chunks = bodyChunks(res.body, url)
  let car
  try {
    car = await readCarStream(chunks, { maxSectionSize: options.maxSectionSize, trusted: true })
  } catch (err) {
    await chunks.return(undefined)
    if ((err as { code?: string }).code === 'E_RETRIEVE_TRANSFER') throw err
    throw new RetrieveBadResponseError(url, 'the response does not start with a CAR header', { cause: err })
  }
  if (car.version !== 1) {
    await chunks.return(undefined)
    throw new RetrieveBadResponseError(url, `the response is a CARv${car.version}, not a CARv1`)
  }
  const sections = car.sections()
  return {
    url,
    dups: params.get('dups') === 'y',
    blocks: (async function* () {
      for await (const s of sections) yield { cid: s.cid, bytes: s.bytes }
    })(),
  }
}
