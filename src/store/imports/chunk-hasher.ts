/**
 * A second thread for hashing import chunks, so a large file is hashed on two cores: the worker reads and
 * hashes the chunks it is given (only their 32-byte digests come back) while the caller reads and hashes the
 * others. The worker is plain node:worker_threads code passed as a string, so it needs no entry point of its
 * own in the single binary.
 */
import { Worker } from 'node:worker_threads'
import { toFileSystemError } from '../errors.ts'
import { SourceChangedError } from './errors.ts'

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, readSync, closeSync } = require('node:fs')
// libpetal's SHA-256 when the caller names the library (1.6x node:crypto on chunks read from the page cache).
let nativeSha256 = null
if (workerData && workerData.library) {
  try {
    const { dlopen, FFIType } = require('bun:ffi')
    const lib = dlopen(workerData.library, { petal_sha256: { args: [FFIType.ptr, FFIType.u64, FFIType.ptr], returns: FFIType.i32 } })
    nativeSha256 = (bytes) => {
      const out = new Uint8Array(32)
      if (lib.symbols.petal_sha256(bytes, bytes.length, out) !== 0) throw new Error('petal_sha256 failed')
      return out
    }
  } catch {
    nativeSha256 = null
  }
}
parentPort.postMessage({ id: -1, native: nativeSha256 !== null })
let buf = new Uint8Array(0)
let open = { path: '', fd: -1 }
parentPort.on('message', ({ id, path, offset, length, algorithm }) => {
  try {
    if (open.path !== path) {
      if (open.fd >= 0) closeSync(open.fd)
      open = { path: '', fd: -1 } // stays closed if the next open throws
      open = { path, fd: openSync(path, 'r') }
    }
    if (buf.length < length) buf = new Uint8Array(length)
    let n = 0
    while (n < length) {
      const got = readSync(open.fd, buf, n, length - n, offset + n)
      if (got === 0) break
      n += got
    }
    if (n < length) throw Object.assign(new Error(path + ' is shorter than when the import started'), { code: 'E_IMPORT_SOURCE_CHANGED' })
    const d = algorithm === 'sha256' && nativeSha256 ? nativeSha256(buf.subarray(0, length)) : createHash(algorithm).update(buf.subarray(0, length)).digest()
    parentPort.postMessage({ id, digest: new Uint8Array(d.buffer, d.byteOffset, d.byteLength) })
  } catch (err) {
    parentPort.postMessage({ id, error: { message: String(err && err.message), code: err && err.code, syscall: err && err.syscall } })
  }
})
`

/** Hashes chunks on one worker thread. */
export class ChunkHasher {
  #worker: Worker
  #next = 0
  #pending = new Map<number, { resolve: (digest: Uint8Array) => void; reject: (e: unknown) => void; path: string; offset: number }>()
  #failed: unknown
  #native: Promise<boolean>
  #nativeReady: (native: boolean) => void = () => {}

  /** `library`: libpetal's path, whose SHA-256 the worker then uses (`CarNative.library`). */
  constructor(
    readonly algorithm: 'sha256' | 'blake2b256',
    library?: string,
  ) {
    this.#native = new Promise((resolve) => (this.#nativeReady = resolve))
    this.#worker = new Worker(WORKER_CODE, { eval: true, workerData: { library } })
    this.#worker.unref()
    this.#worker.on('message', (m: { id: number; native?: boolean; digest?: Uint8Array; error?: { message: string; code?: string; syscall?: string } }) => {
      if (m.id === -1) return this.#nativeReady(m.native === true)
      const p = this.#pending.get(m.id)
      this.#pending.delete(m.id)
      if (p === undefined) return
      if (m.error === undefined) return p.resolve(m.digest!)
      // The worker can only send plain data: its failures become our typed errors here.
      if (m.error.code === 'E_IMPORT_SOURCE_CHANGED') return p.reject(new SourceChangedError(p.path, p.offset))
      const system = Object.assign(new Error(m.error.message), { code: m.error.code, syscall: m.error.syscall ?? 'read', path: p.path })
      p.reject(toFileSystemError(system, p.path))
    })
    this.#worker.on('error', (err) => this.#fail(err))
    this.#worker.on('exit', (code) => this.#fail(new Error(`chunk hasher exited with code ${code}`)))
  }

  /** Reads `length` bytes of `path` at `offset` on the worker and hashes them; resolves to the digest. */
  hashRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed)
    const id = this.#next++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, path, offset })
      this.#worker.postMessage({ id, path, offset, length, algorithm: this.algorithm })
    })
  }

  /** Whether the worker hashes sha2-256 with libpetal (it falls back to node:crypto if the library will not load). */
  usesNative(): Promise<boolean> {
    return this.#native
  }

  async close(): Promise<void> {
    this.#nativeReady(false)
    this.#failed ??= new Error('chunk hasher closed')
    await this.#worker.terminate()
  }

  #fail(err: unknown): void {
    this.#failed ??= err
    for (const p of this.#pending.values()) p.reject(err)
    this.#pending.clear()
  }
}
