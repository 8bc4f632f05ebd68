/**
 * The block sequence of a trustless-gateway response: path blocks first (root → terminal), then the
 * terminal's scope, depth-first pre-order in link order. With `dups` a block is emitted every time the walk
 * meets it; without, once. Identity CIDs are walked but never emitted.
 *
 * The walk reads blocks through a loader and calls it exactly once per emitted block, in emission order, so
 * the same code serves a response (loader = block store) and checks one (loader = the next block of the
 * response). Only the blocks a span of a file needs are loaded: a missing block outside an entity-bytes range
 * is never asked for.
 */
import type { CID } from 'multiformats/cid'
import { AbortedError } from '../car/errors.ts'
import { blockLinks, DAG_PB, decodePbNode, IDENTITY, type PbNode } from './codecs.ts'
import { ALL, partRequest, SHARDS, terminalContext, WHOLE_FILE, type WalkContext } from './entity.ts'
import { DagBadBlockError, DagBlockNotFoundError, DagTooManyBlocksError } from './errors.ts'
import { shardLinks } from './hamt.ts'
import { resolvePath, type BlockLoader, type ResolvedPath } from './path.ts'
import type { Block, DagRequest, MissingPart, WalkOptions } from './types.ts'
import { isFileNode } from './unixfs-data.ts'

/** How a walk reads blocks. */
export interface WalkHooks {
  /** The bytes of a block the walk is about to emit, or undefined when it is not available. */
  load: BlockLoader
  /**
   * Told about each block `load` could not give; the walk skips it and its subtree. Without this hook a
   * missing block throws DagBlockNotFoundError.
   */
  missing?: (part: MissingPart) => void
  /**
   * A hint: the walk will soon `load` this block (the next ones on its stack, in order). A loader with
   * read-ahead starts reading it now; the walk still calls `load` for it, or never does if it is skipped.
   */
  prefetch?: (cid: CID) => void
  /** How many upcoming blocks to hint at (default 4). */
  ahead?: number
}

interface Frame {
  cid: CID
  ctx: WalkContext
  bytes?: Uint8Array
  parent?: MissingPart['parent']
  /** Already announced to the `prefetch` hook. */
  hinted?: boolean
}

const isFull = (ctx: WalkContext) => ctx.kind !== 'file' || ctx.span === undefined

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortedError({ cause: signal.reason })
}

/** The children of a block in its walk context, each with the context it is walked in. */
function childFrames(cid: CID, bytes: Uint8Array, ctx: WalkContext, visit: number): Frame[] {
  switch (ctx.kind) {
    case 'block':
      return []
    case 'all':
      // A UnixFS file's children carry their byte spans, so a resume plan can merge adjacent missing ones.
      if (cid.code === DAG_PB) return withSpans(cid, decodePbNode(cid, bytes), visit).map((f) => ({ ...f, ctx: ALL }))
      return blockLinks(cid, bytes).map((c) => ({ cid: c, ctx: ALL }))
    case 'shards':
      return shardLinks(cid, decodePbNode(cid, bytes)).map((l) => ({ cid: l.cid, ctx: SHARDS }))
    case 'file':
      return fileChildren(cid, bytes, ctx.span, visit)
  }
}

/** The links of a dag-pb node as frames; a sized UnixFS file node also gives each child its byte span. */
function withSpans(cid: CID, node: PbNode, visit: number): Omit<Frame, 'ctx'>[] {
  const fs = node.unixfs
  if (fs === undefined || !isFileNode(fs) || fs.blocksizes.length !== node.links.length) return node.links.map((l) => ({ cid: l.cid }))
  let offset = fs.data?.length ?? 0
  return node.links.map((l, i) => {
    const span = { from: offset, to: offset + fs.blocksizes[i] - 1 }
    offset += fs.blocksizes[i]
    return { cid: l.cid, parent: { cid, visit, span } }
  })
}

function fileChildren(cid: CID, bytes: Uint8Array, span: { from: number; to: number } | undefined, visit: number): Frame[] {
  if (cid.code !== DAG_PB) return []
  const node = decodePbNode(cid, bytes)
  const fs = node.unixfs
  if (fs === undefined || !isFileNode(fs)) throw new DagBadBlockError(cid, 'a UnixFS file links to a node that is not a file')
  if (node.links.length === 0) return []
  const sized = fs.blocksizes.length === node.links.length
  if (!sized && span !== undefined) throw new DagBadBlockError(cid, `${node.links.length} links but ${fs.blocksizes.length} blocksizes`)
  const out: Frame[] = []
  let offset = fs.data?.length ?? 0
  for (let i = 0; i < node.links.length; i++) {
    const child = node.links[i].cid
    if (!sized) {
      out.push({ cid: child, ctx: WHOLE_FILE })
      continue
    }
    const size = fs.blocksizes[i]
    const start = offset
    const end = offset + size - 1
    offset += size
    const parent = { cid, visit, span: { from: start, to: end } }
    if (span === undefined) {
      out.push({ cid: child, ctx: WHOLE_FILE, parent })
      continue
    }
    if (size === 0 || end < span.from || start > span.to) continue
    const from = Math.max(span.from, start) - start
    const to = Math.min(span.to, end) - start
    out.push({ cid: child, ctx: from === 0 && to === size - 1 ? WHOLE_FILE : { kind: 'file', span: { from, to } }, parent })
  }
  return out
}

/** Walks the terminal of an already resolved path: yields the path blocks, then the terminal's scope. */
export async function* walkResolved(resolved: ResolvedPath, request: DagRequest, hooks: WalkHooks, options: WalkOptions = {}): AsyncGenerator<Block> {
  const dups = request.dups === true
  const max = options.maxBlocks ?? Infinity
  const emitted = new Set<string>()
  const done = new Set<string>()
  // Bytes of blocks with children emitted in a ranged visit: the only blocks a later visit may need again.
  const interior = new Map<string, Uint8Array>()
  let count = 0
  let visits = 0
  const emit = (cid: CID): boolean => {
    if (cid.multihash.code === IDENTITY) return false
    if (!dups) {
      const key = cid.toString()
      if (emitted.has(key)) return false
      emitted.add(key)
    }
    if (++count > max) throw new DagTooManyBlocksError(max)
    return true
  }

  const path = resolved.blocks
  for (let i = 0; i < path.length - 1; i++) {
    throwIfAborted(options.signal)
    if (emit(path[i].cid)) yield path[i]
  }

  const stack: Frame[] = [{ cid: resolved.terminal.cid, ctx: terminalContext(request, resolved.terminal), bytes: resolved.terminal.bytes }]
  while (stack.length > 0) {
    throwIfAborted(options.signal)
    const frame = stack.pop()!
    const { cid, ctx } = frame
    const key = cid.toString()
    const doneKey = `${ctx.kind}:${key}`
    if (!dups && done.has(doneKey)) continue
    let bytes = frame.bytes
    let fresh = bytes !== undefined && cid.multihash.code !== IDENTITY && (dups || !emitted.has(key))
    if (bytes === undefined) {
      if (cid.multihash.code === IDENTITY) bytes = cid.multihash.digest
      else if (!dups && emitted.has(key)) {
        bytes = interior.get(key)
        if (bytes === undefined) continue
      } else {
        bytes = await hooks.load(cid)
        if (bytes === undefined) {
          if (hooks.missing === undefined) throw new DagBlockNotFoundError(cid)
          hooks.missing({ ...partRequest(cid, ctx), ...(frame.parent && { parent: frame.parent }) })
          if (isFull(ctx)) done.add(doneKey)
          continue
        }
        fresh = true
      }
    }
    const children = childFrames(cid, bytes, ctx, visits++)
    if (fresh && emit(cid)) {
      if (!dups && !isFull(ctx) && children.length > 0) interior.set(key, bytes)
      yield { cid, bytes }
    }
    if (!dups && isFull(ctx)) done.add(doneKey)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
    if (hooks.prefetch !== undefined) hint(stack, hooks.prefetch, hooks.ahead ?? 4, dups ? undefined : emitted)
  }
}

/** Hints at the next `ahead` blocks the walk will load: the top of its stack, skipping what it will not load. */
function hint(stack: Frame[], prefetch: (cid: CID) => void, ahead: number, emitted: Set<string> | undefined): void {
  for (let i = stack.length - 1; i >= 0 && i >= stack.length - ahead; i--) {
    const frame = stack[i]
    if (frame.hinted === true) continue
    frame.hinted = true
    const { cid, bytes } = frame
    if (bytes !== undefined || cid.multihash.code === IDENTITY || emitted?.has(cid.toString())) continue
    prefetch(cid)
  }
}

/** The blocks a response to `request` carries, in order: resolves the path, then walks the terminal. */
export async function* walkDag(request: DagRequest, hooks: WalkHooks, options: WalkOptions = {}): AsyncGenerator<Block> {
  const resolved = await resolvePath(request.root, request.path ?? [], hooks.load)
  yield* walkResolved(resolved, request, hooks, options)
}

/** Server side: the response blocks of `request` read from a block source (throws on a missing block). */
export function traverseDag(
  source: { get(cid: CID, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined> },
  request: DagRequest,
  options: WalkOptions = {},
): AsyncGenerator<Block> {
  return walkDag(request, { load: (cid) => source.get(cid, { signal: options.signal }) }, options)
}
