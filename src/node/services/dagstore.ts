/**
 * The dagstore service: opens the Dagstore over repo.db with the CAR scanner and a piece locator (the
 * staging folder first; the sectors service adds sealed sectors to `locators`), serves the `Dagstore*`
 * methods, drives shards a crash left half-indexed once the server listens, and mounts the trustless
 * gateway (`/ipfs/…`, blocks from whichever shard holds them) and `/piece/…` (unsealed piece bytes) on the
 * API server.
 */
import { openAsBlob } from 'node:fs'
import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { MiddlewareHandler } from 'hono'
import type { CID } from 'multiformats/cid'
import { bearerAuth, type AppEnv } from '../../http/app.ts'
import { createTokenAuthority } from '../../http/auth/jwt.ts'
import { PermissionDeniedError } from '../../http/errors.ts'
import { mountGateway, type GatewayBlockSource, type PieceSource } from '../../http/gateway/index.ts'
import { chainLocators, createCarScanner, createFolderLocator, createMountResolver, Dagstore, openFileReader, verifyBlockBytesAsync, type PieceLocator } from '../../store/dagstore/index.ts'
import { dagstoreMethods, type DagstoreServices } from '../api/dagstore.ts'
import type { ServiceFactory } from './types.ts'

/** What later services get from `ctx.get('dagstore')`. */
export interface DagstoreService extends DagstoreServices {
  /** Where unsealed pieces are looked for, in order; the sectors service pushes its locator here. */
  locators: PieceLocator[]
}

export const dagstoreService: ServiceFactory = (ctx) => {
  const log = ctx.logs.logger('dagstore')
  // Lookup rows of every shard share one B-tree keyed by digest, so indexing (small shards above all) and
  // lookups touch pages all over it; SQLite's default 2 MiB page cache would reread them from the file.
  // 64 MiB is a ceiling, used only as filled.
  ctx.repo.db.exec('PRAGMA cache_size = -65536')
  const locators: PieceLocator[] = [createFolderLocator(ctx.repo.paths.staging)]
  const pieces = chainLocators(locators)
  const resolveMount = createMountResolver(pieces)
  const dagstore = new Dagstore({
    db: ctx.repo.db,
    resolveMount,
    scan: createCarScanner(),
    maxConcurrentIndex: ctx.repo.config.dagstore.max_concurrent_index,
    onEvent: ({ level, msg, ...fields }) => log[level](msg, fields),
  })
  const value: DagstoreService = { dagstore, resolveMount, pieces, locators }
  const blocks: GatewayBlockSource = {
    // Large blocks are hash-checked off the main thread, so a CAR response reads ahead while it sends;
    // `[retrieval] verify_blocks = false` trusts the shards' bytes (the section must still name the CID).
    get: (cid, options) => dagstore.getBlock(cid, { ...options, check: ctx.repo.config.retrieval.verify_blocks ? verifyBlockBytesAsync : trustBlock }),
    has: async (cid) => dagstore.hasBlock(cid),
  }
  return {
    name: 'dagstore',
    value,
    methods: dagstoreMethods(value),
    mount(app) {
      mountGateway(app, {
        blocks,
        pieces: createPieceSource(value),
        // Blocks are hash-checked as the dagstore reads them.
        verifyBlocks: false,
        authorize: ctx.repo.config.retrieval.require_token ? requireReadToken(ctx.repo.jwtSecret) : undefined,
        onStreamError: (path, err) => log.warn('retrieval cut short', { path, error: err }),
      })
    },
    async started() {
      await dagstore.start()
    },
    close() {
      dagstore.close()
    },
  }
}

/** The check of `[retrieval] verify_blocks = false`: none. */
async function trustBlock(): Promise<void> {}

/** `[retrieval] require_token`: a Bearer token with 'read' permission, as the API's tokens. */
function requireReadToken(secret: Uint8Array): MiddlewareHandler<AppEnv> {
  const authenticate = bearerAuth({ tokens: createTokenAuthority(secret), anonymousPerms: [] })
  return (c, next) =>
    authenticate(c, async () => {
      if (!c.var.perms.includes('read')) throw new PermissionDeniedError(`${c.req.method} ${c.req.routePath}`, 'read')
      await next()
    })
}

/** The unpadded size of the piece holding `n` payload bytes (the payload is zero-padded up to it). */
export function unpaddedPieceSizeFor(n: number): number {
  let padded = 128
  while (padded - padded / 128 < n) padded *= 2
  return padded - padded / 128
}

const ZEROS = new Uint8Array(1 << 20)

/**
 * Piece bytes for `/piece/…`: an unsealed copy the locators know (a staged file, or the piece inside an
 * unsealed sector), else the file a shard keyed by this piece CID was registered from (`register-shard
 * --path`). A file is served zero-padded up to the unpadded piece size, as booster-http serves pieces.
 */
function createPieceSource(s: DagstoreService): PieceSource {
  const locate = async (cid: CID): Promise<{ path?: string; fileSize: number; size: number } | undefined> => {
    const key = cid.toString()
    let path = await s.pieces.unsealedPath(key)
    if (!path && s.dagstore.has(key)) {
      const url = s.dagstore.record(key).mountUrl
      if (url.startsWith('file://')) path = fileURLToPath(url)
    }
    if (path) {
      const fileSize = (await stat(path)).size
      return { path, fileSize, size: unpaddedPieceSizeFor(fileSize) }
    }
    const inSector = await s.pieces.openUnsealed?.(key)
    inSector?.close()
    return inSector && { fileSize: inSector.size, size: inSector.size }
  }
  /** Opens what `locate` found. */
  const open = async (cid: CID, at: { path?: string }) => (at.path ? openFileReader(at.path) : await s.pieces.openUnsealed?.(cid.toString()))
  return {
    async stat(cid) {
      const at = await locate(cid)
      return at && { size: at.size }
    },
    async blob(cid, offset, length) {
      const at = await locate(cid)
      if (!at?.path || offset + length > at.fileSize) return undefined
      return (await openAsBlob(at.path)).slice(offset, offset + length)
    },
    async *read(cid, offset, length, options) {
      const at = await locate(cid)
      if (!at) return
      const end = offset + length
      if (offset < at.fileSize) {
        const reader = await open(cid, at)
        if (!reader) return
        try {
          yield* reader.stream(offset, Math.min(end, at.fileSize) - offset, options)
        } finally {
          reader.close()
        }
      }
      for (let pos = Math.max(offset, at.fileSize); pos < end; pos += ZEROS.length) yield ZEROS.subarray(0, Math.min(ZEROS.length, end - pos))
    },
  }
}
