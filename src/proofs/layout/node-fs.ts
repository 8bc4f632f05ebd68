/**
 * `SectorFs` over node:fs (Node, Bun and Deno all provide it): synchronous positional I/O, fsync before
 * rename, errors mapped to typed ones.
 */
import * as fs from 'node:fs'
import type { SectorFile, SectorFs } from './fs.ts'
import { SectorFileMissingError, SectorFileShortError } from './errors.ts'

function openFile(path: string, flags: string): SectorFile {
  let fd: number
  try {
    fd = fs.openSync(path, flags)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && flags === 'r') throw new SectorFileMissingError(path, { cause: err })
    throw err
  }
  let written = 0
  const initial = flags === 'r' ? fs.fstatSync(fd).size : 0
  return {
    size: () => (flags === 'r' ? initial : written),
    read(into, position) {
      let done = 0
      while (done < into.length) {
        const n = fs.readSync(fd, into, done, into.length - done, position + done)
        if (n === 0) throw new SectorFileShortError(path, position + into.length)
        done += n
      }
    },
    write(bytes, position) {
      let done = 0
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, position + done)
      written = Math.max(written, position + bytes.length)
    },
    sync: () => fs.fsyncSync(fd),
    close: () => fs.closeSync(fd),
  }
}

/** The node:fs implementation. */
export const nodeSectorFs: SectorFs = {
  openRead: (path) => openFile(path, 'r'),
  openWrite: (path) => openFile(path, 'w'),
  rename: (from, to) => fs.renameSync(from, to),
  remove: (path) => fs.rmSync(path, { recursive: true, force: true }),
  exists: (path) => fs.existsSync(path),
  mkdirp: (path) => void fs.mkdirSync(path, { recursive: true }),
  list: (path) => (fs.existsSync(path) ? fs.readdirSync(path) : []),
}
