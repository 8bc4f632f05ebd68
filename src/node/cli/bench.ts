/**
 * `petal bench sealing`, in the spirit of `lotus-bench sealing`: seals random data into one sector in a
 * temporary directory, proves and verifies the PoRep, a Winning and a Window PoSt, a replica update (and a
 * Window PoSt over it), and unseals both the sealed and the updated replica. Prints each phase's seconds and
 * each verification's result; `--json` prints `{ sectorSize, native, phases, verified }`. Exits non-zero
 * (E_BENCH_VERIFY_FAILED) when any verification is false.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineCommand } from 'citty'
import { getSealingNative, typescriptKernels, type SealingKernels } from '../../proofs/kernels/index.ts'
import { createSectorStore, nodeSectorFs, sectorPaths, type SectorStore } from '../../proofs/layout/index.ts'
import { sealCommit1, sealCommit2, sealPreCommit1, sealPreCommit2, verifySeal, writeUnsealedSector, type SectorRef } from '../../proofs/porep/index.ts'
import { generateWindowPoSt, generateWinningPoSt, verifyWindowPoSt, verifyWinningPoSt, type PoStSectorInfo } from '../../proofs/post/index.ts'
import { ProofsError } from '../../proofs/errors.ts'
import { createSectorId, formatSectorSize, parseSectorSize, sealProofForSize, sectorParams, updateProofOf, windowPostProofOf, winningPostProofOf } from '../../proofs/sector/index.ts'
import { unsealSector } from '../../proofs/unseal/index.ts'
import { encodeReplicaUpdate, proveReplicaUpdate1, proveReplicaUpdate2, verifyReplicaUpdate } from '../../proofs/update/index.ts'
import { installNative, setNativeMode } from '../runtime/index.ts'
import { jsonArgs } from './args.ts'
import { printJson, printTable } from './output.ts'

/** A verification in the benchmark came out false. */
export class BenchVerifyFailedError extends ProofsError {
  override name = 'BenchVerifyFailedError'
  constructor(failed: string[]) {
    super('E_BENCH_VERIFY_FAILED', `verification failed: ${failed.join(', ')}`)
  }
}

/** A sector size the benchmark does not seal (32 GiB and 64 GiB are parameters only). */
export class BenchSectorSizeError extends ProofsError {
  override name = 'BenchSectorSizeError'
  constructor(size: string, options?: ErrorOptions) {
    super('E_BENCH_SECTOR_SIZE', `petal bench sealing seals 2KiB, 8MiB or 512MiB sectors, not ${size}`, options)
  }
}

/** What one run measured. */
export interface SealingBenchResult {
  sectorSize: string
  native: boolean
  phases: Record<string, number>
  verified: { porep: boolean; winningPost: boolean; windowPost: boolean; replicaUpdate: boolean; unseal: boolean }
}

const MINER = 1000n

function fieldRandom(): Uint8Array {
  const b = new Uint8Array(randomBytes(32))
  b[31] &= 0x3f
  return b
}

/** `bytes` random bytes in 1 MiB chunks. */
async function* randomPayload(bytes: number): AsyncIterable<Uint8Array> {
  for (let left = bytes; left > 0; left -= 1 << 20) yield new Uint8Array(randomBytes(Math.min(left, 1 << 20)))
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer)
  return h.digest('hex')
}

/** Runs every phase on a sector of `sectorSize` bytes in `store`. */
export async function benchSealing(store: SectorStore, sectorSize: number, kernels: SealingKernels, onPhase?: (name: string, seconds: number) => void): Promise<SealingBenchResult> {
  const phases: Record<string, number> = {}
  const time = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
    const start = performance.now()
    const out = await run()
    phases[name] = (performance.now() - start) / 1000
    onPhase?.(name, phases[name])
    return out
  }
  const proofType = sealProofForSize(sectorSize)
  const sector: SectorRef = { id: createSectorId(MINER, 1), proofType }
  const paths = sectorPaths(store, sector.id)
  const payloadBytes = (sectorSize / 128) * 127
  const options = { kernels }

  await time('addPiece', () => writeUnsealedSector(store, sector, randomPayload(payloadBytes)))
  const sealedData = await fileSha256(paths.unsealed)
  const ticket = fieldRandom()
  const seed = fieldRandom()
  const pc1 = await time('preCommit1', () => sealPreCommit1(store, sector, ticket, options))
  const { commR, commD } = await time('preCommit2', () => sealPreCommit2(store, sector, pc1, options))
  const c1 = await time('commit1', () => sealCommit1(store, sector, { ticket, seed, commR, commD }, options))
  const proof = await time('commit2', () => sealCommit2(c1, options))
  const porep = await time('verifySeal', () => verifySeal({ proofType, sectorId: sector.id, ticket, seed, commR, commD, proof }, options).valid)

  const randomness = fieldRandom()
  const info: PoStSectorInfo = { sealProof: proofType, sectorNumber: sector.id.number, commR }
  const winningProof = winningPostProofOf(proofType)
  const winning = await time('winningPost', () => generateWinningPoSt(store, { postProof: winningProof, minerId: MINER, randomness, sectors: [info] }, options))
  const winningPost = await time('verifyWinningPost', () => verifyWinningPoSt({ postProof: winningProof, randomness, sectors: [info], proofs: winning }, options).valid)
  const windowProof = windowPostProofOf(proofType)
  const window = await time('windowPost', () => generateWindowPoSt(store, { postProof: windowProof, minerId: MINER, randomness, sectors: [info] }, options))
  const windowValid = await time('verifyWindowPost', () => window.skipped.length === 0 && verifyWindowPoSt({ postProof: windowProof, randomness, sectors: [info], proofs: window.proofs }, options).valid)

  // Snap: new random data into the same sector, whose sealed replica becomes the sector key.
  await writeUnsealedSector(store, sector, randomPayload(payloadBytes))
  const updateData = await fileSha256(paths.unsealed)
  const update = await time('replicaUpdate', () => encodeReplicaUpdate(store, sector, options))
  const vanilla = await time('proveReplicaUpdate1', () => proveReplicaUpdate1(store, sector, update, options))
  const updateProof = await time('proveReplicaUpdate2', () => proveReplicaUpdate2(sector, update, vanilla, options))
  const replicaUpdate = await time('verifyReplicaUpdate', () => verifyReplicaUpdate({ updateProof: updateProofOf(proofType), ...update, proof: updateProof }, options).valid)
  const updated: PoStSectorInfo = { ...info, commR: update.commRNew, sectorKey: update.commROld }
  const windowUpdated = await time('windowPostUpdated', () => generateWindowPoSt(store, { postProof: windowProof, minerId: MINER, randomness, sectors: [updated] }, options))
  const windowUpdatedValid = windowUpdated.skipped.length === 0 && verifyWindowPoSt({ postProof: windowProof, randomness, sectors: [updated], proofs: windowUpdated.proofs }, options).valid

  // Unseal both replicas with the key regenerated from the labels, into files of their own.
  const fromSealed = join(store.root, 'unsealed-from-sealed')
  const fromUpdate = join(store.root, 'unsealed-from-update')
  await time('unseal', () => unsealSector(store, sector, { ticket, commD }, { ...options, dataPath: fromSealed, regenerate: true }))
  await time('unsealUpdate', () => unsealSector(store, sector, { ticket, commD }, { ...options, dataPath: fromUpdate, from: 'update' }))
  const unseal = (await fileSha256(fromSealed)) === sealedData && (await fileSha256(fromUpdate)) === updateData

  return {
    sectorSize: formatSectorSize(sectorSize),
    native: kernels !== typescriptKernels,
    phases,
    verified: { porep, winningPost, windowPost: windowValid && windowUpdatedValid, replicaUpdate, unseal },
  }
}

/** The sealing kernels to benchmark: TypeScript with --no-native, else the native ones when they load. */
function chooseKernels(native: boolean): SealingKernels {
  if (!native) {
    setNativeMode('off')
    return typescriptKernels
  }
  // auto falls back to TypeScript when the library does not load; PETAL_NATIVE=on makes that an error.
  installNative()
  return getSealingNative() ?? typescriptKernels
}

const sealing = defineCommand({
  meta: { name: 'sealing', description: 'Seal, prove and verify one sector of random data, timing every phase (like lotus-bench sealing)' },
  args: {
    'sector-size': { type: 'string', description: 'Sector size: 2KiB, 8MiB or 512MiB (default 2KiB)', valueHint: 'size', default: '2KiB' },
    ...jsonArgs,
    native: { type: 'boolean', description: 'Use the native library when it loads (--no-native: TypeScript only)', default: true },
    dir: { type: 'string', description: 'Directory for the temporary sector files (default: the system temp dir)', valueHint: 'path' },
  },
  async run({ args }) {
    let size: number
    try {
      size = parseSectorSize(args['sector-size'])
    } catch (err) {
      if ((err as { code?: unknown }).code === 'E_SECTOR_SIZE_INVALID') throw new BenchSectorSizeError(args['sector-size'], { cause: err })
      throw err
    }
    if (!sectorParams(size).sealable) throw new BenchSectorSizeError(args['sector-size'])
    const kernels = chooseKernels(args.native !== false)
    const root = mkdtempSync(join(args.dir ?? tmpdir(), 'petal-bench-sealing-'))
    let result: SealingBenchResult
    try {
      const live = !args.json && process.stderr.isTTY
      result = await benchSealing(createSectorStore(root, nodeSectorFs), size, kernels, live ? (name, s) => process.stderr.write(`${name}: ${s.toFixed(3)} s\n`) : undefined)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
    if (args.json) {
      printJson(result)
    } else {
      printTable(null, [
        ['Sector size:', result.sectorSize],
        ['Kernels:', result.native ? kernels.name : 'typescript'],
      ])
      process.stdout.write('\n')
      printTable(['PHASE', 'SECONDS'], Object.entries(result.phases).map(([name, s]) => [name, s.toFixed(3)]))
      process.stdout.write('\n')
      printTable(['VERIFICATION', 'RESULT'], Object.entries(result.verified).map(([name, ok]) => [name, ok ? 'ok' : 'FAILED']))
    }
    const failed = Object.entries(result.verified).filter(([, ok]) => !ok).map(([name]) => name)
    if (failed.length > 0) throw new BenchVerifyFailedError(failed)
  },
})

export default defineCommand({
  meta: { name: 'bench', description: 'Benchmarks of the node' },
  subCommands: { sealing },
})
