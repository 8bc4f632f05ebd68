/**
 * Retrieval from trustless gateways: `Filecoin.ClientRetrieve` (Lotus's v0 name and shape: an order and an
 * optional FileRef; the order names a provider URL instead of a miner), `Filecoin.ClientRetrieveWithEvents`
 * (the same, streaming progress events) and `Filecoin.ClientListRetrievals`. Blocks land in
 * `<repo>/retrievals/<id>.car`; see src/node/retrieve.
 */
import { isAbsolute } from 'node:path'
import type { CID } from 'multiformats/cid'
import { defineMethod, p } from '../../http/rpc/index.ts'
import { InvalidArgumentError } from '../errors.ts'
import { listRecords, retrieve, retrieveEvents, toRecordJson, toRetrievalInfo, type ExportTarget, type RetrievalOrder } from '../retrieve/index.ts'
import type { ServiceFactory } from './types.ts'

const orderParam = p.object('order', { Root: p.cid('Root'), Path: p.optional(p.string('Path')), Provider: p.string('Provider') })
const refParam = p.optional(p.object('ref', { Path: p.string('Path'), IsCAR: p.optional(p.boolean('IsCAR')) }))

/** `a/b/c` (leading, trailing and doubled slashes ignored) as path segments. */
export function splitPath(path: string | undefined): string[] {
  return (path ?? '').split('/').filter((s) => s !== '')
}

function toOrder(o: { Root: CID; Path?: string; Provider: string }): RetrievalOrder {
  return { root: o.Root, path: splitPath(o.Path), provider: o.Provider }
}

function toTarget(ref: { Path: string; IsCAR?: boolean } | undefined): ExportTarget | undefined {
  if (ref === undefined) return undefined
  if (!isAbsolute(ref.Path)) throw new InvalidArgumentError(`ref.Path must be absolute: ${ref.Path}`)
  return { path: ref.Path, car: ref.IsCAR === true }
}

export const retrievalService: ServiceFactory = (ctx) => {
  const dir = ctx.repo.paths.retrievals
  const log = ctx.logs.logger('retrieval')
  const signalOf = (rpc: AbortSignal) => AbortSignal.any([rpc, ctx.signal])
  return {
    name: 'retrieval',
    methods: [
      defineMethod({
        name: 'Filecoin.ClientRetrieve',
        perm: 'admin',
        params: [orderParam, refParam],
        description: 'Retrieves Root[/Path] from a trustless gateway (Provider URL), verified and resumable; exports to ref when given',
        handler: async ([order, ref], rpc) => {
          const target = toTarget(ref)
          log.info('retrieval started', { root: order.Root.toString(), path: order.Path ?? '', provider: order.Provider })
          const res = await retrieve(toOrder(order), { dir, target, signal: signalOf(rpc.signal) })
          log.info('retrieval complete', { id: res.record.id, requests: res.requests, blocks: res.fetchedBlocks, bytes: res.fetchedBytes, resumed: res.resumed })
          return toRetrievalInfo(res)
        },
      }),
      defineMethod({
        name: 'Filecoin.ClientRetrieveWithEvents',
        perm: 'admin',
        stream: true,
        params: [orderParam, refParam],
        description: 'ClientRetrieve streaming progress events, then one complete or error event',
        handler: ([order, ref], rpc) => {
          const target = toTarget(ref)
          log.info('retrieval started', { root: order.Root.toString(), path: order.Path ?? '', provider: order.Provider })
          return retrieveEvents(toOrder(order), { dir, target, signal: signalOf(rpc.signal) })
        },
      }),
      defineMethod({
        name: 'Filecoin.ClientListRetrievals',
        perm: 'read',
        params: [],
        description: 'Every retrieval recorded in the repo, newest first',
        handler: () => listRecords(dir).map(toRecordJson),
      }),
    ],
  }
}
