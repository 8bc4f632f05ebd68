/**
 * A cheap look at an import's CAR file for `client local` and the start-up sanity check: it reads the
 * 51-byte CARv2 prefix and, for a ref-CAR petal wrote, walks its index (about 40 bytes per block, a few
 * KiB for a GiB file). That catches a missing file, a file that is not a CAR, and a CARv2 cut short anywhere
 * (payload or index) — Lotus only stat()ed the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { decodeV2Header, fileSource, hasPragma, PRAGMA_SIZE, V2_PREFIX_SIZE, walkIndex } from '../../store/car/index.ts'

/** What is wrong with a CAR file; `missing` when it does not exist. */
export interface CarProblem {
  problem: string
  missing: boolean
}

/** Why an import's CAR cannot be used, or null when it looks whole. `ownCar`: petal wrote it (a CARv2 with an index). */
export async function checkCarFile(path: string, ownCar: boolean): Promise<CarProblem | null> {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (err) {
    return { problem: `${path}: ${(err as Error).message}`, missing: (err as NodeJS.ErrnoException).code === 'ENOENT' }
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) return { problem: `${path} is not a file`, missing: false }
    const head = new Uint8Array(V2_PREFIX_SIZE)
    const n = readSync(fd, head, 0, head.length, 0)
    if (!hasPragma(head.subarray(0, n))) {
      // A user's CARv1 is checked against its size and mtime at import time instead (status source-changed).
      return ownCar || n === 0 ? { problem: `${path} is not a CARv2 file (${st.size} bytes)`, missing: false } : null
    }
    if (n < V2_PREFIX_SIZE) return { problem: `${path} is cut short: ${st.size} bytes, less than a CARv2 header`, missing: false }
    try {
      const header = decodeV2Header(head.subarray(PRAGMA_SIZE), st.size)
      if (!ownCar) return null
      if (header.indexOffset === 0) return { problem: `${path} has no index`, missing: false }
      await walkIndex(fileSource(fd, path, st.size), () => {}, { start: header.indexOffset })
    } catch (err) {
      return { problem: `${path} is broken: ${(err as Error).message}`, missing: false }
    }
    return null
  } finally {
    closeSync(fd)
  }
}
