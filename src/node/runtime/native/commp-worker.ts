/**
 * Worker entry: hashes commP subtrees for ./worker-pool.ts. It applies the pool's native mode first, then
 * answers each job with the root and hands the chunk back for reuse.
 */
import { activeTreeHasher } from '../../../proofs/index.ts'
import { setNativeMode } from './mode.ts'
import type { PoolReply, PoolRequest } from './worker-pool.ts'

declare const self: Worker

function reply(msg: PoolReply, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer)
}

function errorOf(id: number | null, err: unknown): PoolReply {
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'E_INTERNAL'
  return { type: 'error', id, code, message: err instanceof Error ? err.message : 'unknown failure' }
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
    activeTreeHasher().subtreeRoot(msg.chunk, root)
    reply({ type: 'result', id: msg.id, root, chunk: msg.chunk }, [msg.chunk.buffer as ArrayBuffer])
  } catch (err) {
    reply(errorOf(msg.id, err))
  }
}
