/**
 * The state of retrievals on disk: `<dir>/<id>.car` (the ReadWrite CARv2), `<id>.json` (the record, written
 * atomically) and `<id>.lock` (held while a process runs the retrieval). A record beside its CAR keeps the
 * CLI and the node agreeing on one retrieval without a shared database, and survives a crash with the CAR.
 */
import { createHash } from 'node:crypto'
import { closeSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { toFileSystemError } from '../../store/errors.ts'
import { openFile } from '../../store/fs.ts'
import { RetrieveBusyError, RetrieveNotFoundError, RetrieveProviderUrlError } from './errors.ts'
import type { RetrievalOrder, RetrievalRecord } from './types.ts'

/** The provider's base URL in one spelling: http(s), no credentials, query or fragment, no trailing slash. */
export function normalizeProvider(provider: string): string {
  let url: URL
  try {
    url = new URL(provider)
  } catch {
    throw new RetrieveProviderUrlError(provider, 'not a URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RetrieveProviderUrlError(provider, 'only http and https are supported')
  if (url.username !== '' || url.password !== '') throw new RetrieveProviderUrlError(provider, 'credentials in the URL are not allowed (pass a header instead)')
  if (url.search !== '' || url.hash !== '') throw new RetrieveProviderUrlError(provider, 'a query or fragment is not allowed')
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** The retrieval id of an order: 32 hex digits of sha-256 over root, path and normalized provider. */
export function retrievalId(order: RetrievalOrder): string {
  const key = `${order.root.toString()}\n${(order.path ?? []).join('/')}\n${normalizeProvider(order.provider)}`
  return createHash('sha256').update(key).digest('hex').slice(0, 32)
}

/** The files of retrieval `id` under `dir`. */
export function retrievalFiles(dir: string, id: string): { car: string; record: string; lock: string } {
  return { car: join(dir, `${id}.car`), record: join(dir, `${id}.json`), lock: join(dir, `${id}.lock`) }
}

/** Writes the record via a temp file and a rename, so a reader never sees half of it. */
export function writeRecord(dir: string, record: RetrievalRecord): void {
  const { record: path } = retrievalFiles(dir, record.id)
  const tmp = `${path}.tmp-${process.pid}`
  try {
    writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`)
    renameSync(tmp, path)
  } catch (err) {
    throw toFileSystemError(err, path)
  }
}

/** The record of retrieval `id`, or undefined when there is none. */
export function readRecord(dir: string, id: string): RetrievalRecord | undefined {
  const { record } = retrievalFiles(dir, id)
  let text: string
  try {
    text = readFileSync(record, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw toFileSystemError(err, record)
  }
  return JSON.parse(text) as RetrievalRecord
}

/** The record of retrieval `id`; RetrieveNotFoundError when there is none. */
export function getRecord(dir: string, id: string): RetrievalRecord {
  const record = readRecord(dir, id)
  if (record === undefined) throw new RetrieveNotFoundError(id)
  return record
}

/** Every recorded retrieval under `dir`, newest first. */
export function listRecords(dir: string): RetrievalRecord[] {
  if (!existsSync(dir)) return []
  const out: RetrievalRecord[] = []
  for (const name of readdirSync(dir)) {
    const m = /^([0-9a-f]{32})\.json$/.exec(name)
    if (m === null) continue
    const record = readRecord(dir, m[1])
    if (record !== undefined) out.push(record)
  }
  return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0))
}

const running = new Set<string>()

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the lock of retrieval `id` (a file holding this process's id; a lock left by a dead process is taken
 * over). Returns the release function; RetrieveBusyError when a live process or another call holds it.
 */
export function lockRetrieval(dir: string, id: string): () => void {
  const { lock } = retrievalFiles(dir, id)
  if (running.has(lock)) throw new RetrieveBusyError(id, process.pid)
  for (let attempt = 0; ; attempt++) {
    let fd: number
    try {
      fd = openFile(lock, 'wx', 0o644)
    } catch (err) {
      if ((err as { code?: string }).code !== 'E_FILE_EXISTS' || attempt > 0) throw err
      const pid = Number(readFileSync(lock, 'utf8').trim())
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new RetrieveBusyError(id, pid)
      rmSync(lock, { force: true })
      continue
    }
    try {
      writeSync(fd, `${process.pid}\n`)
    } finally {
      closeSync(fd)
    }
    running.add(lock)
    return () => {
      running.delete(lock)
      rmSync(lock, { force: true })
    }
  }
}
