/**
 * HTTP retrieval from a running node (in this process) over loopback, clients in other processes:
 *   /ipfs/{root}?format=car  for a UnixFS file (ipfs-car layout, 1 MiB leaves) held by one shard, via curl;
 *                            again at the end with `[retrieval] verify_blocks = false` (no per-block hash check)
 *   /piece/{pieceCid}        the same CAR as an unsealed piece (zero-padded to its piece size) in staging
 *   limit: `dd` reading the same file → /dev/null (the limit), and the loopback limit: the same piece
 *          file sent by a minimal C server with sendfile(2) (bench/lib/sendfile-server.c), fetched by curl;
 *          no HTTP server on this machine can beat it, so it says how much of the gap is the transport
 *   cold cache: the same four transfers with the page cache emptied before each (root only: a storage
 *          provider's pieces are read from disk, so disk speed is the limit there); skipped otherwise
 *   then both again with the piece inside an unsealed sector instead of staging (fr32-unpadded as read)
 *   small raw blocks: /ipfs/{cid}?format=raw for random 1 KiB blocks, 64 concurrent connections (autocannon
 *   in a Node process), requests/s and p99 latency
 * Defaults run in a minute or two; the size: PETAL_BENCH_GATEWAY_MIB=1024.
 */
import { execFile, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { randomFillSync } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { startNode } from '../src/node/node.ts'
import { openSqlite } from '../src/node/runtime/index.ts'
import { createSectorStore, nodeSectorFs } from '../src/proofs/layout/index.ts'
import { initRepo } from '../src/node/repo/repo.ts'
import { encodeSectionHeader, encodeV1Header } from '../src/store/car/index.ts'
import { FileDagBuilder, IPFS_CAR_LAYOUT } from '../src/store/unixfs/index.ts'
import { writeRawCar } from './dagstore.ts'
import { printTable, writeResult, type Row } from './lib/report.ts'
import { layPieceInSector } from './lib/sector-piece.ts'

const run = promisify(execFile)
const PAYLOAD = Number(process.env.PETAL_BENCH_GATEWAY_MIB ?? 256) * (1 << 20)
const SMALL_BLOCKS = 10_000
const DURATION = Number(process.env.PETAL_BENCH_GATEWAY_SECONDS ?? 10)
const MB = 1e6
const ROOT_DIR = fileURLToPath(new URL('../', import.meta.url))

/** Writes a UnixFS file of `size` random bytes as a CARv1 (root last in the file, named in the header). */
function writeFileCar(path: string, size: number): CID {
  const fd = openSync(path, 'w')
  let pos = 0
  const put = (bytes: Uint8Array) => {
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, pos + done)
    pos += bytes.length
  }
  // The root is a CIDv1 dag-pb sha2-256 like the placeholder, so the header keeps its length when rewritten.
  const placeholder = CID.createV1(0x70, Digest.create(0x12, new Uint8Array(32)))
  put(encodeV1Header([placeholder]))
  const section = (cid: CID, bytes: Uint8Array) => {
    put(encodeSectionHeader(cid, bytes.length))
    put(bytes)
  }
  const builder = new FileDagBuilder(IPFS_CAR_LAYOUT, { leaf: (cid, _offset, _length, bytes) => section(cid, bytes!), branch: section })
  const chunk = new Uint8Array(IPFS_CAR_LAYOUT.chunkSize)
  for (let done = 0; done < size; done += chunk.length) {
    randomFillSync(chunk)
    builder.write(chunk.subarray(0, Math.min(chunk.length, size - done)))
  }
  const root = builder.close().cid
  const header = encodeV1Header([root])
  writeSync(fd, header, 0, header.length, 0)
  closeSync(fd)
  return root
}

/** The unpadded size of the piece holding `n` bytes. */
function unpaddedPieceSize(n: number): number {
  let padded = 128
  while (padded - padded / 128 < n) padded *= 2
  return padded - padded / 128
}

/** Seconds `dd` takes to read `path` (its first `bytes`, rounded up to MiB, when given) into /dev/null. */
function dd(path: string, bytes?: number): number {
  const t0 = performance.now()
  execFileSync('dd', [`if=${path}`, 'of=/dev/null', 'bs=1M', 'status=none', ...(bytes === undefined ? [] : [`count=${Math.ceil(bytes / 2 ** 20)}`])])
  return (performance.now() - t0) / 1000
}

/** Empties the page cache so the next read comes from disk; false when this process may not (not root). */
function dropCaches(): boolean {
  try {
    execFileSync('sync')
    writeFileSync('/proc/sys/vm/drop_caches', '1')
    return true
  } catch {
    return false
  }
}

/** Downloads `url` with curl into /dev/null; returns [bytes, seconds]. */
async function curl(url: string): Promise<[number, number]> {
  const { stdout } = await run('curl', ['-s', '-f', '-o', '/dev/null', '-w', '%{size_download} %{time_total}', url])
  const [bytes, time] = stdout.trim().split(' ').map(Number)
  return [bytes, time]
}

/** Compiles and starts bench/lib/sendfile-server.c serving `path`; undefined when there is no C compiler. */
async function startSendfileServer(dir: string, path: string): Promise<{ url: string; stop(): void } | undefined> {
  const bin = join(dir, 'sendfile-server')
  try {
    execFileSync('cc', ['-O2', '-o', bin, join(ROOT_DIR, 'bench/lib/sendfile-server.c')], { stdio: 'ignore' })
  } catch {
    return undefined
  }
  const child = spawn(bin, [path], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = (await once(child.stdout!, 'data')) as [Buffer]
  return { url: `http://127.0.0.1:${Number(line.toString().trim())}/`, stop: () => child.kill() }
}

const AUTOCANNON = `
const autocannon = require(process.argv[1] + '/node_modules/autocannon')
const paths = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'))
autocannon({ url: process.argv[3], connections: 64, duration: Number(process.argv[4]),
  requests: [{ setupRequest: (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] }) }] },
  (err, r) => { if (err) throw err; process.stdout.write(JSON.stringify({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, total: r.requests.total })) })
`

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'petal-bench-gateway-'))
  const rows: Row[] = []
  try {
    const carPath = join(dir, 'file.car')
    const root = writeFileCar(carPath, PAYLOAD)
    const carSize = statSync(carPath).size
    const pieceSize = unpaddedPieceSize(carSize)
    initRepo(join(dir, 'repo'))
    const start = () => startNode({ root: join(dir, 'repo'), listen: '127.0.0.1:0', logWrite: () => {} })
    let node = await start()
    const token = readFileSync(join(dir, 'repo', 'token'), 'utf8').trim()
    const rpc = async (method: string, params: unknown[]) => {
      const res = await fetch(`${node.url}/rpc/v0`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
      const body = (await res.json()) as { result?: any; error?: { message: string } }
      if (body.error) throw new Error(`${method}: ${body.error.message}`)
      return body.result
    }
    try {
      const key = (await rpc('Filecoin.ClientCalcCommP', [carPath])).Root['/'] as string
      // The unsealed piece as the staging folder holds it: the CAR zero-padded (sparse) to the piece size.
      const staged = join(dir, 'repo', 'staging', key)
      execFileSync('mv', [carPath, staged])
      truncateSync(staged, pieceSize)
      let t0 = performance.now()
      await rpc('Filecoin.DagstoreRegisterShard', [key])
      const init = (performance.now() - t0) / 1000
      const label = `${(carSize / 2 ** 20).toFixed(0)} MiB CAR`
      rows.push({ what: `register + initialize the shard (${label})`, bytes: carSize, 'MB/s': carSize / MB / init, s: init, 'vs limit': null, 'vs loopback': null })
      const limit = Math.min(dd(staged), dd(staged))
      const limitRate = pieceSize / MB / limit
      rows.push({ what: 'limit: dd read of the piece file → /dev/null', bytes: pieceSize, 'MB/s': limitRate, s: limit, 'vs limit': 1, 'vs loopback': null })
      const best = async (url: string, want: number): Promise<[number, number]> => {
        let top: [number, number] = [0, Infinity]
        for (let i = 0; i < 3; i++) {
          const [bytes, s] = await curl(url)
          if (bytes < want) throw new Error(`${url}: got ${bytes} bytes, expected at least ${want}`)
          if (s < top[1]) top = [bytes, s]
        }
        return top
      }
      let loopbackRate: number | null = null
      const add = (what: string, bytes: number, s: number) =>
        rows.push({ what, bytes, 'MB/s': bytes / MB / s, s, 'vs limit': bytes / MB / s / limitRate, 'vs loopback': loopbackRate === null ? null : bytes / MB / s / loopbackRate })
      const sendfile = await startSendfileServer(dir, staged)
      let cold: Record<string, number> | undefined
      try {
        if (sendfile) {
          const [bytes, s] = await best(sendfile.url, pieceSize)
          loopbackRate = bytes / MB / s
          rows.push({ what: 'loopback limit: C sendfile server → curl, same piece file', bytes, 'MB/s': loopbackRate, s, 'vs limit': loopbackRate / limitRate, 'vs loopback': 1 })
        }
        const [carBytes, carSeconds] = await best(`${node.url}/ipfs/${root}?format=car`, PAYLOAD)
        add('/ipfs/{root}?format=car (curl)', carBytes, carSeconds)
        const [pieceBytes, pieceSeconds] = await best(`${node.url}/piece/${key}`, pieceSize)
        add('/piece/{pieceCid} (curl)', pieceBytes, pieceSeconds)

        // The same transfers from disk: the page cache emptied before each run, best of three.
        const fromDisk = async (measure: () => Promise<[number, number]>): Promise<number | undefined> => {
          let top = 0
          for (let i = 0; i < 3; i++) {
            if (!dropCaches()) return undefined
            const [bytes, s] = await measure()
            top = Math.max(top, bytes / MB / s)
          }
          return top
        }
        // The piece file is the CAR and then a hole (zeros that cost no disk reads), so the CAR's own limit is
        // reading its bytes alone.
        const ddCold = await fromDisk(async () => [pieceSize, dd(staged)])
        const ddColdCar = await fromDisk(async () => [carSize, dd(staged, carSize)])
        if (ddCold !== undefined && ddColdCar !== undefined) {
          cold = { dd: ddCold, ddCar: ddColdCar }
          rows.push({ what: 'cold cache: dd read of the piece file → /dev/null', bytes: pieceSize, 'MB/s': ddCold, s: pieceSize / MB / ddCold, 'vs limit': 1, 'vs loopback': null })
          rows.push({ what: 'cold cache: dd read of the CAR bytes alone (the limit for /ipfs)', bytes: carSize, 'MB/s': ddColdCar, s: carSize / MB / ddColdCar, 'vs limit': 1, 'vs loopback': null })
          const coldRow = async (name: string, what: string, url: string, want: number, limit: number) => {
            const rate = (await fromDisk(async () => {
              const [bytes, s] = await curl(url)
              if (bytes < want) throw new Error(`${url}: got ${bytes} bytes, expected at least ${want}`)
              return [bytes, s]
            }))!
            cold![name] = rate
            rows.push({ what, bytes: want, 'MB/s': rate, s: want / MB / rate, 'vs limit': rate / limit, 'vs loopback': cold!.loopback === undefined ? null : rate / cold!.loopback })
          }
          if (sendfile) await coldRow('loopback', 'cold cache: C sendfile server → curl', sendfile.url, pieceSize, ddCold)
          await coldRow('car', 'cold cache: /ipfs/{root}?format=car (curl), vs the CAR bytes', `${node.url}/ipfs/${root}?format=car`, carBytes, ddColdCar)
          await coldRow('piece', 'cold cache: /piece/{pieceCid} (curl)', `${node.url}/piece/${key}`, pieceSize, ddCold)
        }
      } finally {
        sendfile?.stop()
      }

      // Small raw blocks from a second shard.
      const smallPath = join(dir, 'small.car')
      const cids = writeRawCar(smallPath, SMALL_BLOCKS * 1024, 1024)
      const smallKey = (await rpc('Filecoin.ClientCalcCommP', [smallPath])).Root['/'] as string
      t0 = performance.now()
      await rpc('Filecoin.DagstoreRegisterShard', [smallKey, smallPath])
      const pathsFile = join(dir, 'paths.json')
      writeFileSync(pathsFile, JSON.stringify(cids.map((c) => `/ipfs/${c}?format=raw`)))
      const { stdout } = await run('node', ['-e', AUTOCANNON, ROOT_DIR, pathsFile, node.url, String(DURATION)], { maxBuffer: 1 << 20 })
      const ac = JSON.parse(stdout) as { rps: number; p50: number; p99: number; errors: number; non2xx: number; total: number }
      // The same CAR with `[retrieval] verify_blocks = false`: what the per-block hash check costs.
      await node.stop()
      const config = join(dir, 'repo', 'config.toml')
      writeFileSync(config, readFileSync(config, 'utf8').replace(/^#verify_blocks = true$/m, 'verify_blocks = false'))
      node = await start()
      const [trustedBytes, trustedSeconds] = await best(`${node.url}/ipfs/${root}?format=car`, PAYLOAD)
      add('/ipfs/{root}?format=car, verify_blocks = false (curl)', trustedBytes, trustedSeconds)

      // The same piece inside an unsealed sector instead of staging (blocks checked again): read through the
      // sealed-piece locator, fr32-unpadded as it goes.
      await node.stop()
      writeFileSync(config, readFileSync(config, 'utf8').replace(/^verify_blocks = false$/m, '#verify_blocks = true'))
      truncateSync(staged, carSize)
      const db = openSqlite(join(dir, 'repo', 'petal.db'))
      layPieceInSector(db, createSectorStore(join(dir, 'repo', 'sectors'), nodeSectorFs), 1, staged, key, (pieceSize / 127) * 128)
      db.close()
      rmSync(staged)
      node = await start()
      const [sectorCarBytes, sectorCarSeconds] = await best(`${node.url}/ipfs/${root}?format=car`, PAYLOAD)
      add('/ipfs/{root}?format=car, piece in an unsealed sector (curl)', sectorCarBytes, sectorCarSeconds)
      const [sectorPieceBytes, sectorPieceSeconds] = await best(`${node.url}/piece/${key}`, pieceSize)
      add('/piece/{pieceCid}, piece in an unsealed sector (curl)', sectorPieceBytes, sectorPieceSeconds)
      printTable(rows)
      const small: Row[] = [{ what: `/ipfs/{cid}?format=raw, 1 KiB blocks, 64 connections, ${DURATION} s (autocannon)`, 'req/s': ac.rps, 'p50 ms': ac.p50, 'p99 ms': ac.p99, errors: ac.errors, non2xx: ac.non2xx }]
      printTable(small)
      writeResult('gateway', { rows: [...rows, ...small], autocannon: ac, payload: PAYLOAD, carSize, pieceSize, limits: { ddRead: limitRate, loopback: loopbackRate }, cold })
    } finally {
      await node.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
