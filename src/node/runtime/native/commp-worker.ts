/**
 * Worker entry: hashes commP subtrees for ./worker-pool.ts. It applies the pool's native mode first, then
 * answers each job with the root: chunks sent to it go back for reuse; file ranges it reads itself into one
 * buffer it keeps, so file bytes never cross threads.
 */
import { closeSync, openSync, readSync } from 'node:fs'
// Narrow imports: a worker loads only what hashing needs, so it starts in fewer milliseconds.
import { activeTreeHasher } from '../../../proofs/native/backend.ts'
import { FileChangedError } from './errors.ts'
import { setNativeMode } from './mode.ts'
import type { PoolReply, PoolRequest } from './worker-pool.ts'

declare const self: Worker

let buffer = new Uint8Array(0)

function reply(msg: PoolReply, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer)
}

function errorOf(id: number | null, err: unknown): PoolReply {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'E_INTERNAL'
  return { type: 'error', id, code, message: err instanceof Error ? err.message : 'unknown failure' }
}

/** Reads `length` bytes of `path` at `offset` into the worker's buffer (opened per job: no descriptor outlives it). */
function readRange(path: string, offset: number, length: number): Uint8Array {
  if (buffer.length < length) buffer = new Uint8Array(length)
  const view = buffer.subarray(0, length)
  const fd = openSync(path, 'r')
  try {
    for (let got = 0; got < length; ) {
      const n = readSync(fd, view, got, length - got, offset + got)
      if (n === 0) throw new FileChangedError(`${path} ended at ${offset + got} bytes while being hashed (it changed)`)
      got += n
    }
  } finally {
    closeSync(fd)
  }
  return view
}

self.onmessage = (event: MessageEvent<PoolRequest>) => {
  const msg = event.data
  if (msg.type === 'init') {
    try {
      setNativeMode(msg.mode)
      reply({ type: 'ready', name: activeTreeHasher().name })
    } catch (err) {
      reply(errorOf(null, err))
    }
    return
  }
  try {
    const root = new Uint8Array(32)
    if (msg.type === 'file') {
      activeTreeHasher().subtreeRoot(readRange(msg.path, msg.offset, msg.length), root)
      reply({ type: 'result', id: msg.id, root })
    } else {
      activeTreeHasher().subtreeRoot(msg.chunk, root)
      reply({ type: 'result', id: msg.id, root, chunk: msg.chunk }, [msg.chunk.buffer as ArrayBuffer])
    }
  } catch (err) {
    reply(errorOf(msg.id, err))
  }
}
