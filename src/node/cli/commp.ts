/**
 * `petal commp <file|->`: the piece commitment of a file or of standard input — payload size, padded piece
 * size, piece CID v1 (`baga6ea4seaq…`) and v2 (`bafkzcib…`). Large inputs use every core and show a
 * progress bar on a TTY.
 */
import { defineCommand } from 'citty'
import { calcCommPFromFile, calcCommPFromStream, ThreadsInvalidError, type CommPResult } from '../commp/index.ts'
import { parseNativeMode, setNativeMode } from '../runtime/index.ts'
import { jsonArgs } from './args.ts'
import { formatBytes, printJson, printTable } from './output.ts'
import { createProgress } from './progress.ts'

/** Inputs from this size get a progress bar (on a TTY). */
const PROGRESS_FROM = 64 * 2 ** 20

export default defineCommand({
  meta: { name: 'commp', description: 'Compute the piece CID (commP) of a file or of standard input (-)' },
  args: {
    file: { type: 'positional', required: true, description: "File to hash, or '-' for standard input" },
    ...jsonArgs,
    threads: { type: 'string', description: 'Worker threads for large inputs (default: one per core)', valueHint: 'n' },
    native: { type: 'string', description: 'Native library: auto, on or off (default: $PETAL_NATIVE or auto)', valueHint: 'mode' },
  },
  async run({ args }) {
    if (args.native) setNativeMode(parseNativeMode(args.native))
    const threads = args.threads === undefined ? undefined : parseThreads(args.threads)
    let progress: ReturnType<typeof createProgress> | undefined
    const onProgress = (done: number, total?: number) => {
      if (!progress && (total === undefined || total >= PROGRESS_FROM) && done > 0) {
        progress = createProgress('commp', { total, unit: 'bytes' })
      }
      progress?.update(done)
    }
    let result: CommPResult
    try {
      result = args.file === '-' ? await calcCommPFromStream(process.stdin, { threads, onProgress }) : await calcCommPFromFile(args.file, { threads, onProgress })
    } finally {
      progress?.done()
    }
    if (args.json) {
      return printJson({ payloadSize: result.payloadSize, pieceSize: result.pieceSize, pieceCid: result.pieceCid, pieceCidV2: result.pieceCidV2 })
    }
    printTable(null, [
      ['Payload size:', `${result.payloadSize} (${formatBytes(result.payloadSize)})`],
      ['Piece size:', `${result.pieceSize} (${formatBytes(result.pieceSize)})`],
      ['Piece CID:', result.pieceCid],
      ['Piece CID v2:', result.pieceCidV2],
    ])
  },
})

function parseThreads(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new ThreadsInvalidError(value)
  return n
}
