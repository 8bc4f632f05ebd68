/**
 * Client imports: the import manager over the repo's imports/ folder, Lotus's `Client*` import methods, and
 * at every start the clean-up of interrupted imports/drops and the sanity check (Lotus's log lines).
 */
import { isAbsolute } from 'node:path'
import { defineMethod, p } from '../../http/rpc/index.ts'
import { InvalidArgumentError } from '../errors.ts'
import { ImportManager, type ImportInfo } from '../imports/index.ts'
import type { ServiceFactory } from './types.ts'

/** Lotus's `Import` shape for ClientListImports. */
export function toLotusImport(i: ImportInfo): Record<string, unknown> {
  return {
    Key: i.id,
    Err: i.status === 'ok' ? '' : (i.error ?? i.status),
    Root: i.root ? { '/': i.root } : null,
    Source: i.source === 'car' ? 'import-car' : 'import',
    FilePath: i.sourcePath,
    CARPath: i.carPath,
    // petal's additions
    Status: i.status,
    Layout: i.layout,
  }
}

const fileRef = () => p.object('ref', { Path: p.string('Path'), IsCAR: p.optional(p.boolean('IsCAR')) })

function absolute(path: string): string {
  if (!isAbsolute(path)) throw new InvalidArgumentError(`path must be absolute: ${path}`)
  return path
}

export const importsService: ServiceFactory = (ctx) => {
  const manager = new ImportManager(ctx.repo.db, ctx.repo.paths.imports)
  const log = ctx.logs.logger('importmgr')
  // Interrupted imports and drops are finished before anything can see them.
  const cleaned = manager.cleanup()
  if (cleaned.rows + cleaned.files > 0) log.info('removed leftovers of interrupted imports', cleaned)
  return {
    name: 'imports',
    value: manager,
    methods: [
      defineMethod({
        name: 'Filecoin.ClientImport',
        perm: 'admin',
        params: [fileRef()],
        description: 'Imports a file or directory (UnixFS into a ref-CARv2) or, with IsCAR, a CAR as it is',
        handler: async ([ref], rpc) => {
          const rec = await manager.importPath(absolute(ref.Path), { car: ref.IsCAR === true, signal: rpc.signal })
          return { Root: { '/': rec.root }, ImportID: rec.id }
        },
      }),
      defineMethod({
        name: 'Filecoin.ClientListImports',
        perm: 'write',
        params: [],
        description: 'Every import with its status',
        handler: async () => (await manager.list()).map(toLotusImport),
      }),
      defineMethod({
        name: 'Filecoin.ClientRemoveImport',
        perm: 'admin',
        params: [p.integer('importID')],
        description: 'Removes an import: its record and the CAR petal created',
        handler: ([id]) => {
          manager.remove(id)
          return null
        },
      }),
      defineMethod({
        name: 'Filecoin.ClientHasLocal',
        perm: 'write',
        params: [p.cid('root')],
        description: 'Whether an import has this root',
        handler: ([root]) => manager.hasRoot(root.toString()),
      }),
      defineMethod({
        name: 'Filecoin.ClientExport',
        perm: 'admin',
        params: [p.object('exportRef', { Root: p.cid('Root'), FromLocalCAR: p.optional(p.string('FromLocalCAR')) }), fileRef()],
        description: 'Writes an import (or, with FromLocalCAR, the DAG in that CAR) as a CARv1 (IsCAR) or as the original file or directory',
        handler: async ([exp, ref], rpc) => {
          // Lotus's ExportRef also has DAGs (sub-DAG selectors) and DealID (a retrieval): say so rather than
          // export something other than what was asked for.
          const extra = exp as { DAGs?: unknown; DealID?: unknown }
          if (Array.isArray(extra.DAGs) && extra.DAGs.length > 0) throw new InvalidArgumentError('ClientExport: DAGs (sub-DAG selectors) are not supported; export the whole DAG')
          if (typeof extra.DealID === 'number' && extra.DealID !== 0) throw new InvalidArgumentError('ClientExport: DealID is not supported; export a retrieval with ClientRetrieve and a FileRef')
          const target = { path: absolute(ref.Path), car: ref.IsCAR === true }
          if (exp.FromLocalCAR) await manager.exportFromCar(absolute(exp.FromLocalCAR), exp.Root, target, rpc.signal)
          else await manager.export(manager.resolve(exp.Root.toString()), target, rpc.signal)
          return null
        },
      }),
    ],
    async started() {
      await manager.sanityCheck(log)
    },
  }
}

