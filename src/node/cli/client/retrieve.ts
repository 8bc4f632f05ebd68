/**
 * `petal client retrieve <root>[/path] --provider <url> [--out <path> | --car <file>]`: fetch through any
 * trustless gateway, verifying every block, into `<repo>/retrievals/<id>.car`, then export. As with
 * `lotus client retrieve`, the running node does the work (ClientRetrieveWithEvents, paths on its machine);
 * with no node running, the CLI runs the same retrieval itself over the repo folder. Ctrl-C stops it and
 * running the command again continues where it stopped.
 */
import { resolve } from 'node:path'
import { defineCommand } from 'citty'
import { CID } from 'multiformats/cid'
import { AbortedError } from '../../../store/car/errors.ts'
import { InvalidArgumentError, NodeUnreachableError, RemoteError, RepoNotFoundError } from '../../errors.ts'
import { repoExists } from '../../repo/repo.ts'
import { repoPaths, resolveRepoPath } from '../../repo/paths.ts'
import { retrieveEvents, type RetrievalEvent, type RetrievalInfo } from '../../retrieve/index.ts'
import type { ExportTarget } from '../../retrieve/types.ts'
import { jsonArgs, repoArgs } from '../args.ts'
import { clientFor } from '../context.ts'
import { formatBytes, printJson } from '../output.ts'
import { createProgress, type Progress } from '../progress.ts'

/** `bafy…/a/b`, `/ipfs/bafy…/a/b` or `ipfs://bafy…/a/b` as a root and path segments. */
export function parseRootPath(text: string): { root: CID; path: string[] } {
  const bare = text.replace(/^ipfs:\/\//, '').replace(/^\/ipfs\//, '')
  const [first, ...rest] = bare.split('/')
  let root: CID
  try {
    root = CID.parse(first)
  } catch {
    throw new InvalidArgumentError(`not a CID: ${first}`)
  }
  return { root, path: rest.filter((s) => s !== '') }
}

/** Draws a byte progress bar from events; the bar is remade once the total becomes known. */
function progressView(): { update(e: RetrievalEvent): void; done(): void } {
  let bar: Progress | undefined
  let total: number | null = null
  return {
    update(e) {
      if (bar === undefined || (total === null && e.Total !== null)) {
        bar?.done()
        total = e.Total
        bar = createProgress('retrieving', { unit: 'bytes', ...(total !== null && { total }) })
      }
      bar.update(e.BytesHeld + e.BytesReceived)
    },
    done: () => bar?.done(),
  }
}

/** Events from the running node, or undefined when no node can be reached before the first event. */
async function* viaNode(repo: string | undefined, params: unknown[], signal: AbortSignal): AsyncGenerator<RetrievalEvent> {
  const stream = clientFor({ repo }).stream<RetrievalEvent>('Filecoin.ClientRetrieveWithEvents', params, signal)
  let last: RetrievalEvent | undefined
  for await (const e of stream) {
    last = e
    yield e
  }
  if (last?.Event !== 'complete' && last?.Event !== 'error' && !signal.aborted) throw new NodeUnreachableError('the node closed the retrieval stream before it finished')
}

export default defineCommand({
  meta: { name: 'retrieve', description: 'Retrieve <root>[/path] from a trustless gateway, verifying every block; resumes when run again' },
  args: {
    ...repoArgs,
    ...jsonArgs,
    root: { type: 'positional', required: true, description: 'Root CID, optionally followed by a path: bafy…/dir/file' },
    provider: { type: 'string', required: true, description: 'Trustless gateway base URL, e.g. http://127.0.0.1:2345 or https://trustless-gateway.link', valueHint: 'url' },
    out: { type: 'string', description: 'Write the file or directory here', valueHint: 'path' },
    car: { type: 'string', description: 'Write a CARv1 of the DAG here (readable by ipfs-car, go-car, kubo)', valueHint: 'file' },
  },
  async run({ args }) {
    if (args.out && args.car) throw new InvalidArgumentError('give --out or --car, not both')
    const { root, path } = parseRootPath(args.root)
    const target: ExportTarget | undefined = args.car ? { path: resolve(args.car), car: true } : args.out ? { path: resolve(args.out), car: false } : undefined
    const abort = new AbortController()
    const onSigint = () => abort.abort()
    process.once('SIGINT', onSigint)
    const view = progressView()
    let events: AsyncIterable<RetrievalEvent>
    let node = true
    try {
      const order = { Root: { '/': root.toString() }, Path: path.join('/'), Provider: args.provider }
      const ref = target ? { Path: target.path, IsCAR: target.car } : null
      events = viaNode(args.repo, [order, ref], abort.signal)
      const seen = { events: 0 }
      let final: RetrievalEvent | undefined
      try {
        final = await consume(events, view, seen)
      } catch (err) {
        if (!(err instanceof NodeUnreachableError) || seen.events > 0) throw err
        // No node running: do the retrieval here, over the repo folder.
        node = false
        const repo = resolveRepoPath(args.repo)
        if (!repoExists(repo)) throw new RepoNotFoundError(repo)
        const local = retrieveEvents({ root, path, provider: args.provider }, { dir: repoPaths(repo).retrievals, target, signal: abort.signal, intervalMs: 100 })
        final = await consume(local, view, seen)
      }
      if (abort.signal.aborted && final?.Event !== 'error') throw new AbortedError({ cause: abort.signal.reason })
      view.done()
      if (final === undefined) throw new NodeUnreachableError('the retrieval ended without a result')
      if (final.Event === 'error') throw new RemoteError(final.Code, final.Err, 0)
      if (final.Event !== 'complete') throw new NodeUnreachableError('the retrieval ended without a result')
      report(final.Result, args.json, node)
    } finally {
      view.done()
      process.off('SIGINT', onSigint)
    }
  },
})

/** Feeds events to the progress view and returns the last one. */
async function consume(events: AsyncIterable<RetrievalEvent>, view: { update(e: RetrievalEvent): void }, seen: { events: number }): Promise<RetrievalEvent | undefined> {
  let last: RetrievalEvent | undefined
  for await (const e of events) {
    seen.events++
    last = e
    if (e.Event === 'progress') view.update(e)
  }
  return last
}

function report(info: RetrievalInfo, json: boolean, node: boolean): void {
  if (json) return printJson({ ...info, Via: node ? 'node' : 'local' })
  const what = info.Path ? `${info.Root['/']}/${info.Path}` : info.Root['/']
  const fetched = info.Requests === 0 ? 'everything was already held' : `${info.FetchedBlocks} blocks, ${formatBytes(info.FetchedBytes)} fetched in ${info.Requests} request${info.Requests === 1 ? '' : 's'}`
  process.stdout.write(`Retrieved ${what} from ${info.Provider}${info.Resumed ? ' (resumed)' : ''}: ${fetched}\n`)
  process.stdout.write(`Stored in ${info.CarPath}\n`)
  if (info.Exported) process.stdout.write(`Exported ${info.Exported.IsCAR ? 'CAR' : 'data'} to ${info.Exported.Path} (${formatBytes(info.Exported.Bytes)})\n`)
}
