/**
 * Sealing, native against TypeScript, in one run, per sector size (8 MiB by default; BENCH_SEAL_SIZES=8MiB,512MiB
 * adds 512 MiB, a few minutes more):
 *
 * 1. SDR labelling in process — every layer of the sector through `generateLabels`, as PreCommit1 runs it — with
 *    the native kernels on two threads (a helper computes the graph parents ahead of the hashing) and on one,
 *    and with the TypeScript kernels. The limit is the machine's single-core SHA-256 compression rate
 *    (`openssl speed -evp sha256`, measured in the same run) times the compressions labelling needs: 20 per
 *    label (1248-byte message), one label per node per layer. A layer is one hash chain, so one core's SHA-256
 *    is the ceiling. For 512 MiB the TypeScript path is timed on the first 2^18 nodes of each layer (a full run
 *    would take minutes) and reported per label like the others.
 * 2. The whole pipeline, `petal bench sealing --json` in its own process per configuration (so memory and JIT
 *    state do not leak between them): PreCommit1 seconds per MiB, PreCommit2, Commit1, Window PoSt per sector,
 *    PoRep verification, and whether every proof verified. The TypeScript pipeline at 512 MiB runs only with
 *    BENCH_SEAL_TS_FULL=1.
 *
 *   npm run bench -- seal
 *   BENCH_SEAL_SIZES=8MiB,512MiB npm run bench -- seal
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openSealingNative } from '../src/node/runtime/native/index.ts'
import { createStackedGraph } from '../src/proofs/graph/stacked-graph.ts'
import { typescriptKernels, type SealingKernels } from '../src/proofs/kernels/index.ts'
import { LABEL_COMPRESSIONS } from '../src/proofs/sdr/label.ts'
import { generateLabels } from '../src/proofs/sdr/labels.ts'
import { formatSectorSize, parseSectorSize, porepId, sealProofForSize, sectorParams, type SectorParams } from '../src/proofs/sector/index.ts'
import { opensslSha256Rate, printTable, writeResult, type Row } from './lib/report.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const MiB = 2 ** 20
/** Nodes per layer the TypeScript labelling is timed on when the sector is larger. */
const TS_SAMPLE_NODES = 2 ** 18

interface BenchJson {
  sectorSize: string
  native: boolean
  phases: Record<string, number>
  verified: Record<string, boolean>
}

function pipeline(size: string, native: boolean): BenchJson {
  const args = [join(ROOT, 'src/main.ts'), 'bench', 'sealing', '--sector-size', size, '--json', ...(native ? [] : ['--no-native'])]
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 })) as BenchJson
}

/** Seconds per label: all layers of the sector, or the first `sample` nodes of each layer. */
async function labelSeconds(params: SectorParams, kernels: SealingKernels, sample?: number): Promise<number> {
  const graph = createStackedGraph(params.nodes, porepId(sealProofForSize(params.sectorSize)))
  const replicaId = randomBytes(32)
  replicaId[31] &= 0x3f
  if (sample === undefined || sample >= params.nodes) {
    const t = performance.now()
    await generateLabels(graph, replicaId, params.layers, { kernels })
    return (performance.now() - t) / 1000 / (params.nodes * params.layers)
  }
  const layers = [new Uint8Array(32 * params.nodes), new Uint8Array(32 * params.nodes)]
  let seconds = 0
  for (let layer = 1; layer <= 2; layer++) {
    const t = performance.now()
    kernels.labelRange(graph, replicaId, layer, layers[layer - 1], layer > 1 ? layers[0] : null, 0, sample)
    seconds += (performance.now() - t) / 1000
  }
  return seconds / (2 * sample)
}

export default async function run(): Promise<void> {
  const sizes = (process.env.BENCH_SEAL_SIZES ?? '8MiB').split(',').map((s) => parseSectorSize(s))
  const tsFull = process.env.BENCH_SEAL_TS_FULL === '1'
  const sha = opensslSha256Rate(2)
  // Seconds one label needs at the SHA-256 limit.
  const limitPerLabel = sha === null ? null : (LABEL_COMPRESSIONS * 64) / sha

  let native: { two: SealingKernels; one: SealingKernels } | null = null
  let nativeReason = ''
  try {
    native = { two: openSealingNative({ threads: 2 }), one: openSealingNative({ threads: 1 }) }
  } catch (err) {
    nativeReason = (err as Error).message
  }

  const labelling: Row[] = []
  const phases: Row[] = []
  for (const size of sizes) {
    const params = sectorParams(size)
    const label = formatSectorSize(size)
    const mib = size / MiB
    const configs: Array<[string, SealingKernels, number | undefined]> = []
    if (native) configs.push(['native, 2 threads', native.two, undefined], ['native, 1 thread', native.one, undefined])
    configs.push([params.nodes > TS_SAMPLE_NODES ? `TypeScript (first 2^18 nodes per layer)` : 'TypeScript', typescriptKernels, params.nodes > TS_SAMPLE_NODES ? TS_SAMPLE_NODES : undefined])
    for (const [path, kernels, sample] of configs) {
      const perLabel = await labelSeconds(params, kernels, sample)
      labelling.push({
        size: label,
        path,
        'ns/label': perLabel * 1e9,
        'labelling s/MiB': (perLabel * params.nodes * params.layers) / mib,
        'limit ns/label': limitPerLabel === null ? null : limitPerLabel * 1e9,
        'of limit': limitPerLabel === null ? null : limitPerLabel / perLabel,
      })
    }

    for (const useNative of [true, false]) {
      if (!useNative && size > 8 * MiB && !tsFull) continue
      const r = pipeline(label, useNative)
      const p = r.phases
      phases.push({
        size: label,
        path: r.native ? 'native' : useNative ? `TypeScript (native unavailable: ${nativeReason})` : 'TypeScript',
        'PC1 s/MiB': p.preCommit1 / mib,
        'PC2 s': p.preCommit2,
        'C1 s': p.commit1,
        'WindowPoSt s/sector': p.windowPost,
        'verify PoRep s': p.verifySeal,
        'verify WindowPoSt s': p.verifyWindowPost,
        'labelling limit s/MiB': limitPerLabel === null ? null : (limitPerLabel * params.nodes * params.layers) / mib,
        'PC1 of limit': limitPerLabel === null ? null : (limitPerLabel * params.nodes * params.layers) / p.preCommit1,
        'all verified': Object.values(r.verified).every(Boolean),
      })
    }
  }
  process.stdout.write(`SDR labelling (SHA-256 limit: openssl ${sha === null ? 'unavailable' : `${(sha / 1e6).toFixed(0)} MB/s`}, ${LABEL_COMPRESSIONS} compressions per label)\n\n`)
  printTable(labelling)
  process.stdout.write('\nWhole pipeline (petal bench sealing --json)\n\n')
  printTable(phases)
  writeResult('seal', { opensslSha256BytesPerSecond: sha, labelCompressions: LABEL_COMPRESSIONS, nativeReason: nativeReason || undefined, labelling, phases })
}
