/**
 * What a request takes below the end of its path, as a walk context: the terminal block alone, the whole DAG,
 * the shards of a HAMT, or a UnixFS file (whole or a byte span of it). `dag-scope=entity` is decided here
 * from the terminal block itself.
 */
import type { CID } from 'multiformats/cid'
import { DAG_PB, decodePbNode, RAW } from './codecs.ts'
import { isWholeEntity, resolveEntityBytes } from './params.ts'
import type { Block, ByteSpan, DagRequest, DagScope, MissingPart } from './types.ts'
import { fileSize, isFileNode, UnixfsType } from './unixfs-data.ts'

/** How a block is walked: what of the DAG below it a response carries. */
export type WalkContext =
  | { kind: 'block' }
  | { kind: 'all' }
  | { kind: 'shards' }
  | { kind: 'file'; span?: ByteSpan }

export const BLOCK: WalkContext = { kind: 'block' }
export const ALL: WalkContext = { kind: 'all' }
export const SHARDS: WalkContext = { kind: 'shards' }
export const WHOLE_FILE: WalkContext = { kind: 'file' }

/** The scope a request effectively asks for: `entity` when only entity-bytes is given, else `all` by default. */
export function effectiveScope(request: Pick<DagRequest, 'scope' | 'entityBytes'>): DagScope {
  return request.scope ?? (request.entityBytes !== undefined ? 'entity' : 'all')
}

/** The size of the terminal entity when it is a byte array (a UnixFS file or a raw block), else undefined. */
export function entitySize(block: Block): number | undefined {
  if (block.cid.code === RAW) return block.bytes.length
  if (block.cid.code !== DAG_PB) return undefined
  const fs = decodePbNode(block.cid, block.bytes).unixfs
  return fs !== undefined && isFileNode(fs) ? fileSize(fs) : undefined
}

/** The context the terminal block of `request` is walked in. */
export function terminalContext(request: Pick<DagRequest, 'scope' | 'entityBytes'>, terminal: Block): WalkContext {
  const scope = effectiveScope(request)
  if (scope === 'block') return BLOCK
  if (scope === 'all') return ALL
  if (terminal.cid.code !== DAG_PB) return BLOCK
  const fs = decodePbNode(terminal.cid, terminal.bytes).unixfs
  if (fs === undefined) return BLOCK
  if (fs.type === UnixfsType.HAMTShard) return SHARDS
  if (!isFileNode(fs)) return BLOCK
  const range = request.entityBytes
  if (range === undefined || isWholeEntity(range)) return WHOLE_FILE
  const size = fileSize(fs)
  const span = resolveEntityBytes(range, size)
  if (span === undefined) return BLOCK
  return span.from === 0 && span.to === size - 1 ? WHOLE_FILE : { kind: 'file', span }
}

/** The request that fetches exactly what a block walked in `ctx` stands for. */
export function partRequest(cid: CID, ctx: WalkContext): Omit<MissingPart, 'parent'> {
  switch (ctx.kind) {
    case 'block':
      return { root: cid, scope: 'block' }
    case 'all':
      return { root: cid, scope: 'all' }
    case 'shards':
      return { root: cid, scope: 'entity' }
    case 'file':
      return ctx.span === undefined ? { root: cid, scope: 'entity' } : { root: cid, scope: 'entity', entityBytes: ctx.span }
  }
}
