/** `petal dagstore …`: lotus-miner's dagstore commands, with Lotus's output, `--json`, and destroy-shard. */
import { resolve } from 'node:path'
import { defineCommand } from 'citty'
import type { InitializeAllEvent, ShardInfo } from '../../store/dagstore/index.ts'
import { InvalidArgumentError } from '../errors.ts'
import { jsonArgs, repoArgs } from './args.ts'
import { clientFor } from './context.ts'
import { formatBytes, printJson, printTable } from './output.ts'
import { createProgress } from './progress.ts'

const CODECS: Record<string, number> = { '0x0401': 0x0401, '1025': 0x0401, multihashindexsorted: 0x0401, '0x0400': 0x0400, '1024': 0x0400, indexsorted: 0x0400 }

const keyArg = { key: { type: 'positional', required: true, description: 'Shard key (piece CID)' } } as const

/** Lotus's shard table: `Key  State  Error`, state without its `ShardState` prefix, nothing when empty. */
function printShards(shards: ShardInfo[], json: boolean): void {
  if (json) return printJson(shards)
  if (shards.length === 0) return
  printTable(['Key', 'State', 'Error'], shards.map((s) => [s.Key, s.State.replace(/^ShardState/, ''), s.Error]))
}

export default defineCommand({
  meta: { name: 'dagstore', description: 'Manage the dagstore: one indexed shard per deal piece' },
  subCommands: {
    'list-shards': defineCommand({
      meta: { name: 'list-shards', description: 'List all shards known to the dagstore, with their current status' },
      args: { ...repoArgs, ...jsonArgs },
      async run({ args }) {
        printShards(await clientFor(args).call<ShardInfo[]>('Filecoin.DagstoreListShards'), args.json)
      },
    }),
    'register-shard': defineCommand({
      meta: { name: 'register-shard', description: "Register a shard; with --path, a CAR or piece file (the key defaults to the file's piece CID)" },
      args: {
        ...repoArgs,
        ...jsonArgs,
        key: { type: 'positional', required: false, description: 'Shard key (piece CID)' },
        path: { type: 'string', description: 'A CAR or piece file to serve the shard from', valueHint: 'file' },
      },
      async run({ args }) {
        const client = clientFor(args)
        let key = args.key
        if (!key && !args.path) throw new InvalidArgumentError('give a shard key, or --path to compute it from the file')
        // With --path the node computes the file's piece CID: it becomes the key, or must equal the one given.
        const path = args.path === undefined ? undefined : resolve(args.path)
        const derived = await client.call<string | null>('Filecoin.DagstoreRegisterShard', path ? [key ?? '', path] : [key])
        if (!key) key = derived!
        if (args.json) return printJson({ key })
        process.stdout.write(`Registered shard ${key}\n`)
      },
    }),
    'initialize-shard': defineCommand({
      meta: { name: 'initialize-shard', description: 'Initialize the specified shard' },
      args: { ...repoArgs, ...keyArg },
      async run({ args }) {
        await clientFor(args).call('Filecoin.DagstoreInitializeShard', [args.key])
      },
    }),
    'recover-shard': defineCommand({
      meta: { name: 'recover-shard', description: 'Attempt to recover a shard in errored state' },
      args: { ...repoArgs, ...keyArg },
      async run({ args }) {
        await clientFor(args).call('Filecoin.DagstoreRecoverShard', [args.key])
      },
    }),
    'initialize-all': defineCommand({
      meta: { name: 'initialize-all', description: "Initialize all uninitialized shards, streaming results as they're produced" },
      args: {
        ...repoArgs,
        ...jsonArgs,
        concurrency: { type: 'string', required: true, description: 'Maximum shards to initialize concurrently at a time; use 0 for unlimited' },
        'include-sealed': { type: 'boolean', default: false, description: 'Initialize sealed pieces as well (unsealing them)' },
      },
      async run({ args }) {
        const concurrency = Number(args.concurrency)
        if (!Number.isSafeInteger(concurrency) || concurrency < 0) throw new InvalidArgumentError(`--concurrency must be a whole number, got ${args.concurrency}`)
        const abort = new AbortController()
        process.once('SIGINT', () => abort.abort())
        const params = { MaxConcurrency: concurrency, IncludeSealed: args['include-sealed'] }
        let bar: ReturnType<typeof createProgress> | undefined
        let finished = 0
        for await (const e of clientFor(args).stream<InitializeAllEvent>('Filecoin.DagstoreInitializeAll', [params], abort.signal)) {
          bar ??= createProgress('initializing shards', { total: e.Total })
          if (args.json) process.stdout.write(`${JSON.stringify(e)}\n`)
          else {
            const status = e.Event === 'start' ? 'STARTING' : e.Success ? 'SUCCESS' : `ERROR ${e.Error}`
            process.stdout.write(`(${e.Current}/${e.Total}) ${e.Key} ${status}\n`)
          }
          if (e.Event === 'end') bar.update(++finished)
        }
        bar?.done()
        if (abort.signal.aborted) process.stdout.write('aborted\n')
      },
    }),
    gc: defineCommand({
      meta: { name: 'gc', description: 'Garbage collect the dagstore' },
      args: { ...repoArgs, ...jsonArgs },
      async run({ args }) {
        const results = await clientFor(args).call<Array<{ Key: string; Success: boolean; Error: string }>>('Filecoin.DagstoreGC')
        if (args.json) return printJson(results)
        if (results.length === 0) return void process.stdout.write('no shards collected\n')
        for (const r of results) process.stdout.write(`${r.Key} ${r.Success ? 'SUCCESS' : `ERROR ${r.Error}`}\n`)
      },
    }),
    'lookup-pieces': defineCommand({
      meta: { name: 'lookup-pieces', description: 'Lookup pieces that a given CID belongs to' },
      args: { ...repoArgs, ...jsonArgs, cid: { type: 'positional', required: true, description: 'A block CID' } },
      async run({ args }) {
        printShards(await clientFor(args).call<ShardInfo[]>('Filecoin.DagstoreLookupPieces', [{ '/': args.cid }]), args.json)
      },
    }),
    'export-index': defineCommand({
      meta: { name: 'export-index', description: "Write a shard's index as a go-car index file (as `car index create` writes)" },
      args: {
        ...repoArgs,
        ...jsonArgs,
        ...keyArg,
        out: { type: 'positional', required: true, description: 'Where to write the index file' },
        codec: { type: 'string', default: '0x0401', description: "Index codec: 0x0401 (MultihashIndexSorted, go-car's default) or 0x0400 (IndexSorted)" },
      },
      async run({ args }) {
        const codec = CODECS[args.codec.toLowerCase()]
        if (codec === undefined) throw new InvalidArgumentError(`--codec must be 0x0401 or 0x0400, got ${args.codec}`)
        const r = await clientFor(args).call<{ Path: string; Entries: number; Size: number }>('Filecoin.DagstoreExportIndex', [args.key, resolve(args.out), codec])
        if (args.json) return printJson(r)
        process.stdout.write(`Wrote ${r.Entries} entries (${formatBytes(r.Size)}) to ${r.Path}\n`)
      },
    }),
    'destroy-shard': defineCommand({
      meta: { name: 'destroy-shard', description: 'Remove a shard with its index and lookup entries' },
      args: { ...repoArgs, ...keyArg },
      async run({ args }) {
        await clientFor(args).call('Filecoin.DagstoreDestroyShard', [args.key])
        process.stdout.write(`Destroyed shard ${args.key}\n`)
      },
    }),
  },
})
