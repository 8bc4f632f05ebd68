/**
 * File conversions, as go-car's WrapV1, ExtractV1File and detach-index: CARv1 → indexed CARv2 (no
 * padding), CARv2 → its CARv1 payload (in place allowed), CARv2 → its index bytes.
 */
import { closeSync, fstatSync, ftruncateSync, readSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileSource } from './byte-source.ts'
import { MULTIHASH_INDEX_SORTED, V2_PREFIX_SIZE } from './constants.ts'
import { CarNoIndexError, CarTruncatedError, CarWrongVersionError, throwIfAborted } from './errors.ts'
import { buildIndex } from './generate-index.ts'
import { encodeV2Prefix } from './header.ts'
import { encodeIndex } from './index-codec.ts'
import { readCarLayout } from './read-header.ts'
import type { IndexCodec, ProgressOptions, ReadOptions } from './types.ts'
import { createReplacing, openFile } from '../fs.ts'

const CHUNK = 1 << 20

/** Copies `length` bytes from `fdIn` at `from` to `fdOut` at `to`, front to back (safe when to ≤ from). */
function copyRange(fdIn: number, from: number, length: number, fdOut: number, to: number, options: ProgressOptions = {}): void {
  const buf = new Uint8Array(Math.min(CHUNK, Math.max(1, length)))
  let done = 0
  while (done < length) {
    throwIfAborted(options.signal)
    const want = Math.min(buf.length, length - done)
    const n = readSync(fdIn, buf, 0, want, from + done)
    if (n === 0) throw new CarTruncatedError(`unexpected end of input copying at ${from + done}`)
    let w = 0
    while (w < n) w += writeSync(fdOut, buf, w, n - w, to + done + w)
    done += n
    options.onProgress?.(done, length)
  }
}

/** Options of `wrapV1File`. */
export interface WrapOptions extends ProgressOptions, ReadOptions {
  indexCodec?: IndexCodec
  includeIdentity?: boolean
}

/** Wraps the CARv1 at `input` into an indexed CARv2 at `output` (data offset 51, index right after). */
export async function wrapV1File(input: string, output: string, options: WrapOptions = {}): Promise<void> {
  const fdIn = openFile(input, 'r')
  try {
    const size = fstatSync(fdIn).size
    const source = fileSource(fdIn, input, size)
    const layout = await readCarLayout(source, options)
    if (layout.version !== 1) throw new CarWrongVersionError(layout.version, 'the input is already a CARv2')
    const { index } = await buildIndex(source, layout, { ...options, onProgress: undefined })
    const indexBytes = encodeIndex(index, options.indexCodec ?? MULTIHASH_INDEX_SORTED)
    const fdOut = createReplacing(output, 'w')
    try {
      const prefix = encodeV2Prefix({ fullyIndexed: options.includeIdentity ?? false, dataOffset: V2_PREFIX_SIZE, dataSize: size, indexOffset: V2_PREFIX_SIZE + size })
      writeSync(fdOut, prefix, 0, prefix.length, 0)
      copyRange(fdIn, 0, size, fdOut, V2_PREFIX_SIZE, options)
      writeSync(fdOut, indexBytes, 0, indexBytes.length, V2_PREFIX_SIZE + size)
      ftruncateSync(fdOut, V2_PREFIX_SIZE + size + indexBytes.length)
    } finally {
      closeSync(fdOut)
    }
  } finally {
    closeSync(fdIn)
  }
}

/** Writes the CARv1 payload of the CARv2 at `input` to `output`; `output` may be `input` (rewritten in place). */
export async function extractV1File(input: string, output: string, options: ProgressOptions & ReadOptions = {}): Promise<void> {
  const inPlace = resolve(input) === resolve(output)
  const fdIn = openFile(input, inPlace ? 'r+' : 'r')
  try {
    const layout = await readCarLayout(fileSource(fdIn, input, fstatSync(fdIn).size), options)
    if (layout.version !== 2) throw new CarWrongVersionError(layout.version, 'the input is already a CARv1')
    if (inPlace) {
      copyRange(fdIn, layout.dataOffset, layout.dataSize, fdIn, 0, options)
      ftruncateSync(fdIn, layout.dataSize)
      return
    }
    const fdOut = createReplacing(output, 'w')
    try {
      copyRange(fdIn, layout.dataOffset, layout.dataSize, fdOut, 0, options)
      ftruncateSync(fdOut, layout.dataSize)
    } finally {
      closeSync(fdOut)
    }
  } finally {
    closeSync(fdIn)
  }
}

/** Writes the index embedded in the CARv2 at `input` to `output`, byte for byte. */
export async function detachIndexFile(input: string, output: string, options: ProgressOptions & ReadOptions = {}): Promise<void> {
  const fdIn = openFile(input, 'r')
  try {
    const size = fstatSync(fdIn).size
    const layout = await readCarLayout(fileSource(fdIn, input, size), options)
    if (layout.version !== 2) throw new CarWrongVersionError(layout.version, 'a CARv1 has no embedded index; use `petal car index` to generate one')
    if (layout.v2!.indexOffset === 0) throw new CarNoIndexError('this CARv2 has no index; use `petal car index` to generate one')
    const fdOut = createReplacing(output, 'w')
    try {
      const length = size - layout.v2!.indexOffset
      copyRange(fdIn, layout.v2!.indexOffset, length, fdOut, 0, options)
      ftruncateSync(fdOut, length)
    } finally {
      closeSync(fdOut)
    }
  } finally {
    closeSync(fdIn)
  }
}
