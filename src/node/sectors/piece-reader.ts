/**
 * Random access to a piece inside an unsealed sector file, in the client's bytes: an unpadded range maps to
 * whole fr32 quads (127 bytes ↔ 128), which are read and unpadded. Nothing is copied out of the sector, as
 * Lotus's and Boost's piece readers do. Padding with its top bits set fails the read (E_FR32_INVALID).
 */
import { closeSync, openSync, readSync } from 'node:fs'
import { fr32Unpad } from '../../proofs/fr32/fr32.ts'
import { getProofsNative } from '../../proofs/native/backend.ts'
import { SectorFileShortError } from '../../proofs/layout/errors.ts'
import { createMountReader, type MountReader } from '../../store/dagstore/index.ts'

/** Reads of at least this many quads are unpadded by libpetal when it is installed (a call costs more than a few quads). */
const NATIVE_QUADS = 64

/** Bytes per chunk when streaming. */
const STREAM_CHUNK = 127 << 13

/** Opens the piece at padded `offset`, padded `size`, of the unsealed sector file `path`. */
export function openSectorPieceReader(path: string, offset: number, size: number): MountReader {
  const fd = openSync(path, 'r')
  const unpaddedSize = (size / 128) * 127
  let padded = new Uint8Array(0)
  let unpadded = new Uint8Array(0)
  const readInto = (target: Uint8Array, position: number): number => {
    const n = Math.max(0, Math.min(target.length, unpaddedSize - position))
    if (n === 0) return 0
    const first = Math.floor(position / 127)
    const quads = Math.ceil((position + n) / 127) - first
    if (padded.length < quads * 128) {
      padded = new Uint8Array(quads * 128)
      unpadded = new Uint8Array(quads * 127)
    }
    const want = padded.subarray(0, quads * 128)
    for (let got = 0; got < want.length; ) {
      const r = readSync(fd, want, got, want.length - got, offset + first * 128 + got)
      if (r === 0) throw new SectorFileShortError(path, offset + (first + quads) * 128)
      got += r
    }
    const out = unpadded.subarray(0, quads * 127)
    const native = quads >= NATIVE_QUADS ? getProofsNative() : undefined
    if (native) native.fr32Unpad(want, out)
    else fr32Unpad(want, out)
    const skip = position - first * 127
    target.set(out.subarray(skip, skip + n))
    return n
  }
  return createMountReader({ size: unpaddedSize, readInto, close: () => closeSync(fd), chunk: STREAM_CHUNK })
}
