/**
 * Generates all SDR layers of a replica, a range of nodes per kernel call so that long runs report progress
 * and can be aborted between calls. Each finished layer is handed to `store` (PreCommit1 writes it to the
 * cache) and a layer `load` returns is taken as already done (a re-run after a crash resumes there).
 */
import type { StackedGraph } from '../graph/stacked-graph.ts'
import { resolveKernels } from '../kernels/backend.ts'
import type { SealingKernels } from '../kernels/types.ts'
import { yieldToEventLoop } from './yield.ts'

/** Nodes labelled per kernel call. */
const RANGE = 1 << 16

/** Options of `generateLabels`. */
export interface GenerateLabelsOptions {
  kernels?: SealingKernels
  signal?: AbortSignal
  /** Labels done so far, over layers × nodes. */
  onProgress?: (done: number, total: number) => void
  /** A layer already on disk, or null to compute it. */
  load?: (layer: number, into: Uint8Array) => boolean
  /** Called with each computed layer. */
  store?: (layer: number, labels: Uint8Array) => void
}

/** Computes layers 1..`layers` and returns the last one (the encoding key). */
export async function generateLabels(graph: StackedGraph, replicaId: Uint8Array, layers: number, options: GenerateLabelsOptions = {}): Promise<Uint8Array> {
  const kernels = resolveKernels(options.kernels)
  const total = layers * graph.nodes
  let current = new Uint8Array(32 * graph.nodes)
  let previous = new Uint8Array(32 * graph.nodes)
  kernels.adviseLargeBuffer?.(current)
  kernels.adviseLargeBuffer?.(previous)
  for (let layer = 1; layer <= layers; layer++) {
    ;[current, previous] = [previous, current]
    if (options.load?.(layer, current)) {
      options.onProgress?.(layer * graph.nodes, total)
      continue
    }
    for (let start = 0; start < graph.nodes; start += RANGE) {
      options.signal?.throwIfAborted()
      const count = Math.min(RANGE, graph.nodes - start)
      kernels.labelRange(graph, replicaId, layer, current, layer > 1 ? previous : null, start, count)
      options.onProgress?.((layer - 1) * graph.nodes + start + count, total)
      if (count === RANGE) await yieldToEventLoop()
    }
    options.store?.(layer, current)
  }
  return current
}
