/**
 * The native sealing kernels: libpetal's SDR labelling (parents computed in C from the graph seed and the
 * Feistel table), tree-node and column hashing, and the node-wise field maps, behind the proofs library's
 * `SealingKernels` interface. Lengths and ranges are checked here before every call (C trusts its
 * arguments) and throw `E_KERNEL_ARGUMENT`; a failure status from C becomes `E_NATIVE_CALL_FAILED`.
 */
import { ptr, type Library } from 'bun:ffi'
import { availableParallelism } from 'node:os'
import type { StackedGraph } from '../../../proofs/graph/stacked-graph.ts'
import { KernelArgumentError } from '../../../proofs/kernels/errors.ts'
import type { SealingKernels, UpdateRhos } from '../../../proofs/kernels/types.ts'
import { DEGREE } from '../../../proofs/sector/params.ts'
import { checkStatus, PROOFS_SYMBOLS, SHA_IMPLS } from './abi.ts'
import { openNativeLibrary } from './library.ts'
import { SEALING_SYMBOLS, UPDATE_OPS } from './sealing-abi.ts'

type SealingLibrary = Library<typeof SEALING_SYMBOLS>

/** The native kernels plus what only the native side has. */
export interface NativeSealingKernels extends SealingKernels {
  /** Path of the loaded library. */
  readonly library: string
  /** Threads labelling uses: 1, or 2 (a helper computes the parents ahead of the hashing). */
  readonly threads: number
  /** The 14 parents of nodes [start, start + count), computed in C (tests compare them with TypeScript's). */
  parents(graph: StackedGraph, start: number, count: number, out: Uint32Array): void
}

function nodesOf(kernel: string, what: string, bytes: Uint8Array): number {
  if (bytes.length % 32 !== 0) throw new KernelArgumentError(kernel, `${what} is ${bytes.length} bytes, not a whole number of 32-byte nodes`)
  return bytes.length / 32
}

function sameLength(kernel: string, out: Uint8Array, ...inputs: Uint8Array[]): number {
  const n = nodesOf(kernel, 'output', out)
  for (const input of inputs) {
    if (input.length < out.length) throw new KernelArgumentError(kernel, `input is ${input.length} bytes, the output ${out.length}`)
  }
  return n
}

function checkRhos(kernel: string, rhos: UpdateRhos, first: number, n: number): number {
  const buckets = nodesOf(kernel, 'rhos', rhos.values)
  if (!Number.isSafeInteger(first) || first < 0) throw new KernelArgumentError(kernel, `first node ${first} is not a non-negative integer`)
  if (!Number.isInteger(rhos.shift) || rhos.shift < 0 || rhos.shift > 52) throw new KernelArgumentError(kernel, `shift ${rhos.shift} is out of range`)
  if (n > 0 && Math.floor((first + n - 1) / 2 ** rhos.shift) >= buckets) throw new KernelArgumentError(kernel, `nodes up to ${first + n - 1} need more than ${buckets} rho values`)
  return buckets
}

function checkGraph(kernel: string, graph: StackedGraph): void {
  if (graph.seed.length !== 28 || graph.feistel.table.length !== 3 * 2 ** graph.feistel.halfBits || graph.feistel.n !== 8 * graph.nodes) {
    throw new KernelArgumentError(kernel, 'graph is not a stacked DRG from createStackedGraph')
  }
}

/** Options of `openSealingNative`. */
export interface SealingNativeOptions {
  /**
   * Threads for labelling: 2 lets a helper thread compute the graph parents ahead of the hashing (a layer's
   * labels are one chain, so hashing itself never splits); 1 keeps everything on the calling thread.
   * Default: 2 when the machine has two or more cores.
   */
  threads?: number
}

/** Opens libpetal and wraps its sealing functions; throws `E_NATIVE_UNAVAILABLE` when it cannot be used. */
export function openSealingNative(options: SealingNativeOptions = {}): NativeSealingKernels {
  const threads = options.threads ?? (availableParallelism() >= 2 ? 2 : 1)
  if (threads !== 1 && threads !== 2) throw new KernelArgumentError('openSealingNative', `threads must be 1 or 2, got ${threads}`)
  const { library, path } = openNativeLibrary(SEALING_SYMBOLS)
  const sha = openNativeLibrary(PROOFS_SYMBOLS).library
  return wrap(library, path, threads, () => SHA_IMPLS[sha.symbols.petal_sha256_impl()] ?? 'portable')
}

function wrap(library: SealingLibrary, path: string, threads: number, shaName: () => string): NativeSealingKernels {
  const s = library.symbols
  const update = (kernel: string, op: number, a: Uint8Array, b: Uint8Array, out: Uint8Array, rhos: UpdateRhos, first: number) => {
    const n = sameLength(kernel, out, a, b)
    const buckets = checkRhos(kernel, rhos, first, n)
    if (n > 0) checkStatus('petal_fr_update_nodes', s.petal_fr_update_nodes(op, a, b, out, n, rhos.values, buckets, rhos.shift, first))
  }
  return {
    get name() {
      return `native:${shaName()}`
    },
    library: path,
    threads,
    parents(graph, start, count, out) {
      checkGraph('parents', graph)
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0 || start + count > graph.nodes) {
        throw new KernelArgumentError('parents', `nodes [${start}, ${start + count}) are not in [0, ${graph.nodes})`)
      }
      if (out.length < DEGREE * count) throw new KernelArgumentError('parents', `output holds ${out.length} parents, ${DEGREE * count} needed`)
      if (count > 0) checkStatus('petal_sdr_parents', s.petal_sdr_parents(graph.seed, graph.feistel.table, graph.feistel.halfBits, graph.feistel.n, start, count, out))
    },
    labelRange(graph, replicaId, layer, labels, prev, start, count) {
      checkGraph('labelRange', graph)
      if (replicaId.length !== 32) throw new KernelArgumentError('labelRange', `replica id is ${replicaId.length} bytes, not 32`)
      if (!Number.isInteger(layer) || layer < 1 || layer > 0xffffffff) throw new KernelArgumentError('labelRange', `layer ${layer} is not ≥ 1`)
      if (labels.length !== 32 * graph.nodes) throw new KernelArgumentError('labelRange', `layer buffer is ${labels.length} bytes, the graph needs ${32 * graph.nodes}`)
      if (layer > 1 && (!prev || prev.length !== 32 * graph.nodes)) throw new KernelArgumentError('labelRange', `layer ${layer} needs the previous layer (${32 * graph.nodes} bytes)`)
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0 || start + count > graph.nodes) {
        throw new KernelArgumentError('labelRange', `nodes [${start}, ${start + count}) are not in [0, ${graph.nodes})`)
      }
      if (count === 0) return
      const f = graph.feistel
      checkStatus('petal_sdr_label_range', s.petal_sdr_label_range(graph.seed, f.table, f.halfBits, f.n, replicaId, layer, labels, layer > 1 ? prev : null, start, count, threads))
    },
    hashGroups(input, arity, output) {
      if (!Number.isInteger(arity) || arity < 2 || arity > 256 || (arity & (arity - 1)) !== 0) throw new KernelArgumentError('hashGroups', `arity ${arity} is not a power of two in 2..256`)
      const n = nodesOf('hashGroups', 'output', output)
      if (input.length < 32 * arity * n) throw new KernelArgumentError('hashGroups', `input is ${input.length} bytes, ${n} groups of ${arity} need ${32 * arity * n}`)
      if (n > 0) checkStatus('petal_tree_hash_groups', s.petal_tree_hash_groups(input, arity, output, n))
    },
    hashColumns(layers, output) {
      if (layers.length < 1 || layers.length > 64) throw new KernelArgumentError('hashColumns', `${layers.length} layers, 1 to 64 supported`)
      const n = sameLength('hashColumns', output, ...layers)
      if (n === 0) return
      // The layers stay referenced by `layers` for the whole call, so their addresses remain valid.
      const pointers = new BigUint64Array(layers.map((l) => BigInt(ptr(l))))
      checkStatus('petal_tree_hash_columns', s.petal_tree_hash_columns(pointers, layers.length, output, n))
    },
    addNodes(a, b, out) {
      const n = sameLength('addNodes', out, a, b)
      if (n > 0) checkStatus('petal_fr_add_nodes', s.petal_fr_add_nodes(a, b, out, n))
    },
    subNodes(a, b, out) {
      const n = sameLength('subNodes', out, a, b)
      if (n > 0) checkStatus('petal_fr_sub_nodes', s.petal_fr_sub_nodes(a, b, out, n))
    },
    adviseLargeBuffer(buffer) {
      // Advice only: without huge pages (another OS, THP off) the buffer is used as it is.
      if (buffer.length >= 1 << 22) s.petal_mem_advise_huge(buffer, buffer.length)
    },
    updateEncode: (key, data, out, rhos, first) => update('updateEncode', UPDATE_OPS.encode, key, data, out, rhos, first),
    updateDecode: (replica, key, out, rhoInvs, first) => update('updateDecode', UPDATE_OPS.decode, replica, key, out, rhoInvs, first),
    updateRemoveData: (replica, data, out, rhos, first) => update('updateRemoveData', UPDATE_OPS.removeData, replica, data, out, rhos, first),
  }
}
