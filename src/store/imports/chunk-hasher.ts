/**
 * A second thread for hashing import chunks, so a large file is hashed on two cores: the caller hashes one
 * chunk while the worker hashes the next. Buffers are transferred to the worker and back (no copies). The
 * worker is plain node:worker_threads code passed as a string, so it needs no entry point of its own in the
 * single binary.
 */
import { Worker } from 'node:worker_threads'

const WORKER_CODE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
parentPort.on('message', ({ id, buf, len, algorithm }) => {
  const digest = createHash(algorithm).update(new Uint8Array(buf, 0, len)).digest()
  parentPort.postMessage({ id, buf, digest: new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength) }, [buf])
})
`

/** Hashes chunks on one worker thread. */
export class ChunkHasher {
  #worker: Worker
  #next = 0
  #pending = new Map<number, { resolve: (r: { buf: Uint8Array; digest: Uint8Array }) => void; reject: (e: unknown) => void }>()
  #failed: unknown

  constructor(readonly algorithm: 'sha256' | 'blake2b256') {
    this.#worker = new Worker(WORKER_CODE, { eval: true })
    this.#worker.unref()
    this.#worker.on('message', (m: { id: number; buf: ArrayBuffer; digest: Uint8Array }) => {
      const p = this.#pending.get(m.id)
      this.#pending.delete(m.id)
      p?.resolve({ buf: new Uint8Array(m.buf), digest: m.digest })
    })
    this.#worker.on('error', (err) => this.#fail(err))
    this.#worker.on('exit', (code) => this.#fail(new Error(`chunk hasher exited with code ${code}`)))
  }

  /**
   * Hashes `buf[0, len)`. `buf` must own its whole ArrayBuffer: it is transferred (unusable here) until the
   * promise gives it back.
   */
  hash(buf: Uint8Array, len: number): Promise<{ buf: Uint8Array; digest: Uint8Array }> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed)
    const id = this.#next++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.#worker.postMessage({ id, buf: buf.buffer, len, algorithm: this.algorithm }, [buf.buffer as ArrayBuffer])
    })
  }

  async close(): Promise<void> {
    this.#failed ??= new Error('chunk hasher closed')
    await this.#worker.terminate()
  }

  #fail(err: unknown): void {
    this.#failed ??= err
    for (const p of this.#pending.values()) p.reject(err)
    this.#pending.clear()
  }
}
