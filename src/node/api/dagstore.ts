/** lotus-miner's `Dagstore*` JSON-RPC methods (names, params and results as Lotus), plus DagstoreDestroyShard. */
import { isAbsolute } from 'node:path'
import { CID } from 'multiformats/cid'
import { defineMethod, p, type RpcMethod } from '../../http/rpc/index.ts'
import { INDEX_SORTED, MULTIHASH_INDEX_SORTED, type IndexCodec } from '../../store/car/index.ts'
import { pieceCidV1Of } from '../../proofs/piece/cid.ts'
import { exportShardIndex, FileMount, initializeAll, PieceMount, ShardPieceMismatchError, type Dagstore, type MountResolver, type PieceLocator } from '../../store/dagstore/index.ts'
import { calcCommPFromFile } from '../commp/index.ts'
import { InvalidArgumentError } from '../errors.ts'
import { writeFileAtomic } from '../repo/repo.ts'

/** What the dagstore methods need. */
export interface DagstoreServices {
  dagstore: Dagstore
  resolveMount: MountResolver
  pieces: PieceLocator
}

/** Checks a shard key is a piece CID, with Lotus's wording. */
export function parseShardKey(key: string): CID {
  try {
    return CID.parse(key)
  } catch (cause) {
    throw new InvalidArgumentError(`parsing shard key as piece cid: ${(cause as Error).message}`)
  }
}

/** Builds the methods. */
export function dagstoreMethods(s: DagstoreServices): RpcMethod<any, any>[] {
  return [
    defineMethod({
      name: 'Filecoin.DagstoreListShards',
      perm: 'read',
      params: [],
      description: 'Every shard with its state, sorted by key',
      handler: () => s.dagstore.list(),
    }),
    defineMethod({
      name: 'Filecoin.DagstoreRegisterShard',
      perm: 'admin',
      params: [p.string('key'), p.optional(p.string('path'))],
      description:
        "Registers a shard and indexes it (no-op if registered); petal: an optional path registers a CAR or piece file, whose piece CID must be the key (an empty key: the file's piece CID, returned)",
      handler: async ([key, path], rpc) => {
        if (path === undefined) {
          parseShardKey(key)
          if (!s.dagstore.has(key)) await s.dagstore.register(key, new PieceMount(key, s.pieces))
          return null
        }
        if (!isAbsolute(path)) throw new InvalidArgumentError(`path must be absolute: ${path}`)
        // A file served under a piece CID (/piece, deals) must be that piece: its commP is computed here.
        const derived = key === ''
        const cid = derived ? undefined : parseShardKey(key)
        if (cid !== undefined && s.dagstore.has(key)) return null
        const expected = cid && pieceCidV1Of(cid)
        if (derived || expected !== undefined) {
          const actual = (await calcCommPFromFile(path, { signal: rpc.signal })).pieceCid
          if (derived) key = actual
          else if (actual !== expected!.toString()) throw new ShardPieceMismatchError(key, path, actual)
        }
        if (!s.dagstore.has(key)) await s.dagstore.register(key, new FileMount(path))
        return derived ? key : null
      },
    }),
    defineMethod({
      name: 'Filecoin.DagstoreInitializeShard',
      perm: 'write',
      params: [p.string('key')],
      description: 'Indexes a New shard',
      handler: async ([key], ctx) => {
        await s.dagstore.initialize(key, { signal: ctx.signal })
        return null
      },
    }),
    defineMethod({
      name: 'Filecoin.DagstoreRecoverShard',
      perm: 'write',
      params: [p.string('key')],
      description: 'Re-indexes an Errored shard',
      handler: async ([key], ctx) => {
        await s.dagstore.recover(key, { signal: ctx.signal })
        return null
      },
    }),
    defineMethod({
      name: 'Filecoin.DagstoreInitializeAll',
      perm: 'write',
      params: [p.object('params', { MaxConcurrency: p.optional(p.integer('MaxConcurrency')), IncludeSealed: p.optional(p.boolean('IncludeSealed')) })],
      stream: true,
      description: 'Indexes every New shard; streams a start and an end event per shard',
      handler: ([params], ctx) =>
        initializeAll(s.dagstore, s.resolveMount, { concurrency: params.MaxConcurrency ?? 0, includeSealed: params.IncludeSealed ?? false, signal: ctx.signal }),
    }),
    defineMethod({
      name: 'Filecoin.DagstoreGC',
      perm: 'admin',
      params: [],
      description: 'Releases what idle shards hold; one result per idle shard',
      handler: () => s.dagstore.gc(),
    }),
    defineMethod({
      name: 'Filecoin.DagstoreLookupPieces',
      perm: 'admin',
      params: [p.cid('cid')],
      description: 'The shards holding a CID (by multihash), sorted by key',
      handler: ([cid]) => s.dagstore.lookupPieces(cid),
    }),
    defineMethod({
      name: 'Filecoin.DagstoreExportIndex',
      perm: 'admin',
      params: [p.string('key'), p.string('path'), p.optional(p.integer('codec'))],
      description: "petal: writes a shard's index as a go-car index file (0x0401 MultihashIndexSorted by default, or 0x0400 IndexSorted) at an absolute path on the node's machine",
      handler: ([key, path, codec]) => {
        if (!isAbsolute(path)) throw new InvalidArgumentError(`path must be absolute: ${path}`)
        const chosen = (codec ?? MULTIHASH_INDEX_SORTED) as IndexCodec
        if (chosen !== MULTIHASH_INDEX_SORTED && chosen !== INDEX_SORTED) throw new InvalidArgumentError(`codec must be 0x0401 (${MULTIHASH_INDEX_SORTED}) or 0x0400 (${INDEX_SORTED}), got ${codec}`)
        const { bytes, entries } = exportShardIndex(s.dagstore, key, chosen)
        writeFileAtomic(path, bytes)
        return { Key: key, Path: path, Codec: chosen, Entries: entries, Size: bytes.length }
      },
    }),
    defineMethod({
      name: 'Filecoin.DagstoreDestroyShard',
      perm: 'admin',
      params: [p.string('key')],
      description: 'Removes a shard with its index and lookup entries',
      handler: async ([key]) => {
        await s.dagstore.destroy(key)
        return null
      },
    }),
  ]
}
