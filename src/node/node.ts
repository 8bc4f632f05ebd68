/**
 * The node's lifecycle: lock the repo, open it, wire services into the API, serve, and shut down gracefully
 * (stop accepting, let in-flight requests finish within a bound, close the database, release the lock).
 */
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { createApp } from '../http/app.ts'
import { createTokenAuthority } from '../http/auth/jwt.ts'
import { MetricsRegistry } from '../http/metrics.ts'
import { ALL_PERMISSIONS, type Permission } from '../http/rpc/types.ts'
import { createRegistry } from './api/index.ts'
import { parseListen, toMultiaddr } from './listen.ts'
import { formatHuman, formatJson, logs, type Level } from './log/index.ts'
import { acquireLock } from './repo/lock.ts'
import { repoPaths } from './repo/paths.ts'
import { openRepo, writeFileAtomic, type Repo } from './repo/repo.ts'
import { openServices, type OpenServices } from './services/index.ts'
import { bufferedAmount, serve, upgradeWebSocket } from './runtime/index.ts'

/** How to start. */
export interface StartOptions {
  /** Repo root (already initialized). */
  root: string
  /** Overrides `[api] listen`. */
  listen?: string
  /** Where log lines go (default stderr); tests capture them here. */
  logWrite?: (line: string) => void
}

/** A running node. */
export interface RunningNode {
  repo: Repo
  /** Base URL, e.g. http://127.0.0.1:1234. */
  url: string
  /** The API multiaddr written to the repo's `api` file. */
  multiaddr: string
  /** Resolves once the node has stopped. */
  stopped: Promise<void>
  /** Stops gracefully; safe to call more than once. */
  stop(reason?: string): Promise<void>
}

const log = logs.logger('node')
const rpcLog = logs.logger('rpc')

/** Starts the node in an initialized repo. */
export async function startNode(opts: StartOptions): Promise<RunningNode> {
  const paths = repoPaths(opts.root)
  const lock = acquireLock(paths.lock, opts.root)
  let repo: Repo
  try {
    repo = openRepo(opts.root)
  } catch (err) {
    lock.release()
    throw err
  }
  const removeSink = configureLogging(repo, opts.logWrite)
  if (lock.tookOverFrom !== null) log.warn('took over stale repo lock', { pid: lock.tookOverFrom })

  const tokens = createTokenAuthority(repo.jwtSecret)
  const shutdownCtl = new AbortController()
  let shuttingDown = false
  let ready = false
  let stopping: Promise<void> | null = null
  let resolveStopped!: () => void
  const stopped = new Promise<void>((r) => (resolveStopped = r))

  const metrics = new MetricsRegistry()
  metrics.gauge('petal_process_resident_memory_bytes', 'Resident set size', () => process.memoryUsage().rss)
  metrics.gauge('petal_process_heap_used_bytes', 'JavaScript heap in use', () => process.memoryUsage().heapUsed)
  metrics.gauge('petal_db_size_bytes', 'Size of petal.db', () => (shuttingDown ? 0 : repo.db.sizeBytes()))
  metrics.gauge('petal_uptime_seconds', 'Seconds since start', () => Math.round(process.uptime()))

  let services: OpenServices
  try {
    services = await openServices({ repo, logs, metrics, signal: shutdownCtl.signal })
  } catch (err) {
    removeSink()
    repo.close()
    lock.release()
    throw err
  }
  const registry = createRegistry({ tokens, logs, session: randomUUID(), shutdown: () => void stop('api') }).add(...services.methods)
  const anonymousPerms: Permission[] = repo.config.api.anonymous_read ? ['read'] : []
  const { app, inflight } = createApp({
    registry,
    tokens,
    metrics,
    anonymousPerms,
    maxBodyBytes: repo.config.api.max_body,
    requestTimeoutMs: repo.config.api.timeout,
    ready: () => ready,
    shuttingDown: () => shuttingDown,
    shutdownSignal: shutdownCtl.signal,
    upgradeWebSocket,
    bufferedAmount,
    onInternalError: (where, err) => logs.logger('http').error('internal error', { where, error: err, stack: (err as Error)?.stack }),
    onRpcCall: (method, seconds, code) => {
      if (rpcLog.enabled('debug')) rpcLog.debug('call', { method, ms: Math.round(seconds * 1e6) / 1e3, outcome: code ?? 'ok' })
    },
    mount: services.mount,
  })

  const listen = parseListen(opts.listen ?? repo.config.api.listen)
  let server: ReturnType<typeof serve>
  try {
    server = serve({ hostname: listen.host, port: listen.port, fetch: (req, srv) => app.fetch(req, srv) })
  } catch (err) {
    await services.close()
    removeSink()
    repo.close()
    lock.release()
    throw err
  }
  const multiaddr = toMultiaddr({ host: listen.host, port: server.port })
  const url = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${server.port}`
  writeFileAtomic(paths.api, multiaddr)
  writeFileAtomic(paths.token, tokens.sign(ALL_PERMISSIONS), 0o600)
  ready = true
  log.info('node started', { api: multiaddr, repo: opts.root, pid: process.pid })
  void services.started()

  function stop(reason = 'requested'): Promise<void> {
    stopping ??= (async () => {
      log.info('shutting down', { reason, inflight: inflight() })
      shuttingDown = true
      ready = false
      const graceful = server.stop(false)
      const deadline = Date.now() + repo.config.api.shutdown_grace
      while (inflight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      if (inflight() > 0) log.warn('cutting off in-flight requests', { inflight: inflight() })
      shutdownCtl.abort()
      await Promise.race([graceful, new Promise((r) => setTimeout(r, 50))])
      await server.stop(true)
      rmSync(paths.api, { force: true })
      await services.close()
      repo.close()
      lock.release()
      log.info('node stopped')
      removeSink()
      resolveStopped()
    })()
    return stopping
  }

  return { repo, url, multiaddr, stopped, stop }
}

function configureLogging(repo: Repo, write?: (line: string) => void): () => void {
  const cfg = repo.config.log
  logs.configure(cfg.level as Level, cfg.subsystems as Record<string, Level>)
  const out = write ?? ((line: string) => process.stderr.write(`${line}\n`))
  const human = cfg.format === 'human' || (cfg.format === 'auto' && !write && process.stderr.isTTY === true)
  const color = human && !write && process.stderr.isTTY === true
  return logs.addSink((e) => out(human ? formatHuman(e, color) : formatJson(e)))
}
