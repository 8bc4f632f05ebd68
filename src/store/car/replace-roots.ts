/**
 * Replaces the roots in a CAR's header in place, as go-car's ReplaceRootsInFile: only when the new header
 * encodes to exactly as many bytes as the old one, so no section moves and any index stays valid.
 */
import { closeSync, fstatSync, writeSync } from 'node:fs'
import type { CID } from 'multiformats/cid'
import { openFile } from '../fs.ts'
import { fileSource } from './byte-source.ts'
import { CarBadHeaderError } from './errors.ts'
import { encodeV1Header } from './header.ts'
import { readCarLayout } from './read-header.ts'

/** Rewrites the roots of the CAR at `path`; throws `E_CAR_BAD_HEADER` when the new header's length differs. */
export async function replaceRootsInFile(path: string, roots: readonly CID[]): Promise<void> {
  const fd = openFile(path, 'r+')
  try {
    const layout = await readCarLayout(fileSource(fd, path, fstatSync(fd).size))
    const header = encodeV1Header(roots)
    if (header.length !== layout.headerLength) {
      throw new CarBadHeaderError(`cannot replace roots in place: the new header is ${header.length} bytes, the old one ${layout.headerLength}`)
    }
    let done = 0
    while (done < header.length) done += writeSync(fd, header, done, header.length - done, layout.dataOffset + done)
  } finally {
    closeSync(fd)
  }
}
