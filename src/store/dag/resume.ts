/**
 * Resuming a retrieval: walk the request over the blocks already held and list the requests that fetch only
 * what is missing, in walk order. Each missing block becomes a request for its subtree in the scope it was
 * needed in (a byte span for the edges of an entity-bytes range); runs of adjacent missing children of one
 * UnixFS file node are merged into one entity-bytes request on that node, so an interrupted download of a
 * large file resumes with one request, not one per chunk. A missing path block re-requests the whole thing.
 */
import type { CID } from 'multiformats/cid'
import { RAW } from './codecs.ts'
import { DagBlockNotFoundError } from './errors.ts'
import { formatEntityBytes } from './params.ts'
import { resolvePath, type ResolvedPath } from './path.ts'
import type { AbortOptions, BlockGetter, ByteSpan, DagRequest, MissingPart, WalkOptions } from './types.ts'
import { walkResolved } from './walk.ts'

/** Blocks already held: `get`, and optionally a cheaper `has` (used for raw leaves, whose bytes the walk never reads). */
export interface HeldBlocks extends BlockGetter {
  has?(cid: CID, options?: AbortOptions): Promise<boolean>
}

const EMPTY = new Uint8Array(0)

interface Run {
  parent: CID
  visit: number
  span: ByteSpan
  parts: MissingPart[]
}

/** The span of a missing child in its parent's coordinates. */
function parentSpan(part: MissingPart): ByteSpan {
  const at = part.parent!.span
  return part.entityBytes === undefined ? at : { from: at.from + part.entityBytes.from, to: at.from + part.entityBytes.to }
}

/**
 * The requests still needed to complete `request` given the blocks in `have`, in walk order; nothing when
 * everything is held. Each is a whole request of its own: fetch it, check it with verifyDag, store its blocks.
 */
export async function* planRetrieval(request: DagRequest, have: HeldBlocks, options: WalkOptions = {}): AsyncGenerator<DagRequest> {
  const signal = options.signal
  const load = async (cid: CID) => {
    if (cid.code === RAW && have.has !== undefined) return (await have.has(cid, { signal })) ? EMPTY : undefined
    return have.get(cid, { signal })
  }
  let resolved: ResolvedPath
  try {
    resolved = await resolvePath(request.root, request.path ?? [], load)
  } catch (err) {
    if (!(err instanceof DagBlockNotFoundError)) throw err
    yield request
    return
  }
  const dups = request.dups === true
  const seen = new Set<string>()
  const toRequest = (root: CID, scope: DagRequest['scope'], span?: ByteSpan): DagRequest | undefined => {
    const key = `${root.toString()} ${scope} ${span ? formatEntityBytes(span) : ''}`
    if (seen.has(key)) return undefined
    seen.add(key)
    return span === undefined ? { root, scope, dups } : { root, scope, entityBytes: { ...span }, dups }
  }
  const queue: MissingPart[] = []
  let run: Run | undefined
  const flush = (): DagRequest | undefined => {
    const r = run
    run = undefined
    if (r === undefined) return undefined
    if (r.parts.length === 1) return toRequest(r.parts[0].root, r.parts[0].scope, r.parts[0].entityBytes)
    return toRequest(r.parent, 'entity', r.span)
  }
  function* drain(): Generator<DagRequest> {
    for (const part of queue.splice(0)) {
      const p = part.parent
      if (p !== undefined && run !== undefined && run.parent.equals(p.cid) && run.visit === p.visit) {
        const span = parentSpan(part)
        if (span.from === run.span.to + 1) {
          run.span = { from: run.span.from, to: span.to }
          run.parts.push(part)
          continue
        }
      }
      const out = flush()
      if (out) yield out
      if (p !== undefined) run = { parent: p.cid, visit: p.visit, span: parentSpan(part), parts: [part] }
      else {
        const single = toRequest(part.root, part.scope, part.entityBytes)
        if (single) yield single
      }
    }
  }
  const walk = walkResolved(resolved, { ...request, dups: false }, { load, missing: (part) => queue.push(part) }, options)
  for await (const block of walk) {
    void block
    // A present block ends any run of missing siblings before it.
    if (queue.length === 0) {
      const out = flush()
      if (out) yield out
    }
    yield* drain()
  }
  yield* drain()
  const last = flush()
  if (last) yield last
}
