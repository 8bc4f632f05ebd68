/**
 * commP throughput on 1 GiB of random data (BENCH_COMMP_MIB to change it): petal's native library on one
 * thread and on all cores, petal's TypeScript path, @web3-storage/data-segment and the Rust/wasm hasher
 * (fr32-sha2-256-trunc254-padded-binary-tree-multihash), all in one run, each as a ratio to the machine's
 * limit: the single-core `openssl speed -evp sha256` rate divided by 4 (commP costs about four SHA-256
 * compressions per 128 padded bytes). The slow paths run on a leading sample of the same file (data-segment
 * hashes 4 MB/s on Node and 12–18 MB/s on Bun); the TypeScript/data-segment ratio uses data-segment's faster
 * API. Peak RSS is measured in fresh child processes hashing 4 GiB, streamed and from a file.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { Piece } from '@web3-storage/data-segment'
import * as DataSegmentHasher from '@web3-storage/data-segment/multihash'
import * as WasmHasher from 'fr32-sha2-256-trunc254-padded-binary-tree-multihash'
import { calcCommPFromFile } from '../src/node/commp/index.ts'
import { CommPHasher, jsTreeHasher, pieceCidV2 } from '../src/proofs/index.ts'
import { nativeStatus, setNativeMode } from '../src/node/runtime/index.ts'
import { bestOf, opensslSha256Rate, printTable, writeResult, type Row } from './lib/report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MiB = 2 ** 20
const SIZE = Number(process.env.BENCH_COMMP_MIB ?? 1024) * MiB
const WASM_SAMPLE = Math.min(SIZE, 256 * MiB)
const JS_SAMPLE = Math.min(SIZE, 256 * MiB)
const DATA_SEGMENT_SAMPLE = Math.min(SIZE, 64 * MiB)
const RSS_SIZE = 4 * 1024 * MiB

/** Feeds the first `bytes` of `path` to `write` in 4 MiB reads. */
function readInto(path: string, bytes: number, write: (chunk: Uint8Array) => void): void {
  const fd = openSync(path, 'r')
  const buf = new Uint8Array(4 * MiB)
  try {
    for (let done = 0; done < bytes; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, bytes - done), done)
      write(buf.subarray(0, n))
      done += n
    }
  } finally {
    closeSync(fd)
  }
}

function wasmV2(path: string, bytes: number): string {
  const h = WasmHasher.create()
  readInto(path, bytes, (chunk) => h.write(chunk))
  const mh = new Uint8Array(h.multihashByteLength())
  h.digestInto(mh, 0, true)
  h.free()
  return CID.create(1, 0x55, Digest.decode(mh)).toString()
}

function dataSegmentV2(path: string, bytes: number): string {
  const h = DataSegmentHasher.create()
  readInto(path, bytes, (chunk) => h.write(chunk))
  return Piece.fromDigest(h.digest()).link.toString()
}

function dataSegmentFromPayloadV2(path: string, bytes: number): string {
  const payload = new Uint8Array(bytes)
  let at = 0
  readInto(path, bytes, (chunk) => {
    payload.set(chunk, at)
    at += chunk.length
  })
  return Piece.fromPayload(payload).link.toString()
}

/** petal's commP with the SHA-256 written in TypeScript (the fallback where node:crypto lacks one-shot `hash`). */
function jsV2(path: string, bytes: number): string {
  const h = new CommPHasher({ hasher: jsTreeHasher })
  readInto(path, bytes, (chunk) => h.write(chunk))
  const d = h.digest()
  return pieceCidV2(d.root, d.payloadSize).toString()
}

function rssChild(args: string[]): { seconds: number; peakRss: number; pieceCid: string } {
  const out = spawnSync(process.execPath, [join(ROOT, 'bench/lib/commp-rss.ts'), ...args], { encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`commp-rss failed: ${out.stderr}`)
  return JSON.parse(out.stdout)
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'petal-bench-commp-'))
  const file = join(dir, 'random.bin')
  try {
    const fd = openSync(file, 'w')
    for (let done = 0; done < SIZE; done += 64 * MiB) writeSync(fd, randomBytes(Math.min(64 * MiB, SIZE - done)))
    closeSync(fd)

    const opensslRate = opensslSha256Rate()
    const limit = opensslRate ? opensslRate / 4 / 1e6 : NaN
    const cores = availableParallelism()
    const rows: Row[] = []
    const add = (name: string, sample: number, seconds: number, cid: string) => {
      const mbps = sample / seconds / 1e6
      rows.push({ path: name, 'sample MiB': sample / MiB, 'MB/s': mbps, 'of limit': mbps / limit, piece: cid.slice(-10) })
      return mbps
    }

    setNativeMode('auto')
    const native = nativeStatus()
    let cid = ''
    const run = (threads: number) => async () => {
      cid = (await calcCommPFromFile(file, { threads })).pieceCidV2
    }
    // One thread and all cores alternate, best of four each: load from other processes hits both alike.
    let one = Infinity
    let all = Infinity
    if (native.active) {
      await run(1)()
      for (let i = 0; i < 4; i++) {
        one = Math.min(one, await bestOf(1, run(1)))
        all = Math.min(all, await bestOf(1, run(cores)))
      }
    }
    const nativeOne = native.active ? add(`petal native (${native.sha}), 1 thread`, SIZE, one, cid) : NaN
    const nativeAll = native.active ? add(`petal native (${native.sha}), ${cores} threads`, SIZE, all, cid) : NaN
    setNativeMode('off')
    const tsOne = add('petal TypeScript (node:crypto per node), 1 thread', SIZE, await bestOf(1, run(1)), cid)
    add(`petal TypeScript (node:crypto per node), ${cores} threads`, SIZE, await bestOf(1, run(cores)), cid)
    setNativeMode('auto')
    let jsCid = ''
    add('petal TypeScript (SHA-256 in TS), 1 thread', JS_SAMPLE, await bestOf(1, () => (jsCid = jsV2(file, JS_SAMPLE))), jsCid)
    let wasmCid = ''
    add('fr32-…-multihash (Rust → wasm)', WASM_SAMPLE, await bestOf(1, () => (wasmCid = wasmV2(file, WASM_SAMPLE))), wasmCid)
    let dsCid = ''
    const dataSegment = add('@web3-storage/data-segment (streaming hasher)', DATA_SEGMENT_SAMPLE, await bestOf(1, () => (dsCid = dataSegmentV2(file, DATA_SEGMENT_SAMPLE))), dsCid)
    let dsWholeCid = ''
    add('@web3-storage/data-segment (Piece.fromPayload)', DATA_SEGMENT_SAMPLE, await bestOf(1, () => (dsWholeCid = dataSegmentFromPayloadV2(file, DATA_SEGMENT_SAMPLE))), dsWholeCid)
    if (WASM_SAMPLE === SIZE && wasmCid !== cid) throw new Error(`wasm hasher disagrees: ${wasmCid} vs ${cid}`)
    if (DATA_SEGMENT_SAMPLE === SIZE && dsCid !== cid) throw new Error(`data-segment disagrees: ${dsCid} vs ${cid}`)
    if (dsWholeCid !== dsCid) throw new Error(`data-segment's two APIs disagree: ${dsWholeCid} vs ${dsCid}`)
    if (JS_SAMPLE === SIZE && jsCid !== cid) throw new Error(`the TypeScript SHA-256 disagrees: ${jsCid} vs ${cid}`)

    rows.push({ path: `limit: openssl sha256 ${opensslRate ? (opensslRate / 1e6).toFixed(0) : '?'} MB/s ÷ 4`, 'sample MiB': null, 'MB/s': limit, 'of limit': 1, piece: null })
    printTable(rows)

    // 4 GiB on disk: the random file repeated (a sparse file would measure the kernel zero-filling holes).
    const big = join(dir, 'random-4g.bin')
    const out = openSync(big, 'w')
    readInto(file, SIZE, () => undefined)
    for (let done = 0; done < RSS_SIZE; ) readInto(file, Math.min(SIZE, RSS_SIZE - done), (chunk) => (done += writeSync(out, chunk)))
    closeSync(out)
    const streamed = rssChild(['stream', String(RSS_SIZE)])
    const fromFile = rssChild(['file', big])
    const ratios = {
      nativeOneThreadOfLimit: nativeOne / limit,
      allCoresOverOneThread: nativeAll / nativeOne,
      typescriptOverDataSegment: tsOne / dataSegment,
    }
    const rss = [
      { input: '4 GiB streamed (generated, chunks transferred)', 'peak RSS MiB': streamed.peakRss / MiB, 'MB/s': RSS_SIZE / streamed.seconds / 1e6 },
      { input: '4 GiB file (workers read ranges)', 'peak RSS MiB': fromFile.peakRss / MiB, 'MB/s': RSS_SIZE / fromFile.seconds / 1e6 },
    ]
    process.stdout.write('\n')
    printTable(rss)
    process.stdout.write(
      `\nnative 1 thread / limit = ${ratios.nativeOneThreadOfLimit.toFixed(2)} (target ≥ 0.8); all cores / 1 thread = ${ratios.allCoresOverOneThread.toFixed(2)} (target ≥ 1.8 on 2 cores); TypeScript / data-segment = ${ratios.typescriptOverDataSegment.toFixed(1)} (target ≥ 5)\n`,
    )
    writeResult('commp', { sizeBytes: SIZE, cores, opensslSha256Rate: opensslRate, limitMBps: limit, native, rows, ratios, rss })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
