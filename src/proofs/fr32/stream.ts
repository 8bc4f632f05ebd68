/** fr32 padding and unpadding over streams, a bounded number of quads at a time. */
import { getProofsNative } from '../native/backend.ts'
import { FR32_IN, FR32_OUT, fr32Pad, fr32Unpad } from './fr32.ts'
import { Fr32LengthError, Fr32OverflowError } from './errors.ts'
import type { PaddedPieceSize } from '../piece/size.ts'

/** Quads per output chunk: 8192 (1 MiB padded). */
const BATCH_QUADS = 8192

/** Options of `fr32PadStream`. */
export interface Fr32PadStreamOptions {
  /** Zero-fill the output to exactly this padded size (an unsealed piece); input beyond it is an error. */
  pieceSize?: PaddedPieceSize
  signal?: AbortSignal
}

/**
 * fr32-pads a payload stream. The last partial quad is zero-filled; with `pieceSize` the output is
 * zero-filled to that size (zeros pad to zeros, so the filler is produced without padding it).
 */
export async function* fr32PadStream(source: AsyncIterable<Uint8Array>, options: Fr32PadStreamOptions = {}): AsyncIterable<Uint8Array> {
  const capacity = options.pieceSize === undefined ? Infinity : (options.pieceSize / 128) * 127
  const pending = new Uint8Array(BATCH_QUADS * FR32_IN)
  let fill = 0
  let total = 0
  let emitted = 0
  for await (const chunk of source) {
    options.signal?.throwIfAborted()
    total += chunk.length
    if (total > capacity) throw new Fr32OverflowError(capacity)
    let at = 0
    while (at < chunk.length) {
      const take = Math.min(pending.length - fill, chunk.length - at)
      pending.set(chunk.subarray(at, at + take), fill)
      fill += take
      at += take
      if (fill === pending.length) {
        yield pad(pending)
        emitted += pending.length
        fill = 0
      }
    }
  }
  if (fill > 0) {
    const quads = Math.ceil(fill / FR32_IN)
    pending.fill(0, fill, quads * FR32_IN)
    yield pad(pending.subarray(0, quads * FR32_IN))
    emitted += quads * FR32_IN
  }
  if (options.pieceSize !== undefined) {
    let rest = ((capacity - emitted) / FR32_IN) * FR32_OUT
    const zeros = new Uint8Array(Math.min(rest, BATCH_QUADS * FR32_OUT))
    for (; rest > 0; rest -= zeros.length) yield rest >= zeros.length ? zeros.slice() : new Uint8Array(rest)
  }
}

/** Options of `fr32UnpadStream`. */
export interface Fr32UnpadStreamOptions {
  /** Stop after this many payload bytes (drop the zero padding at the end of a piece). */
  payloadSize?: number
  signal?: AbortSignal
}

/** Unpads an fr32-padded stream (a multiple of 128 bytes in all). */
export async function* fr32UnpadStream(source: AsyncIterable<Uint8Array>, options: Fr32UnpadStreamOptions = {}): AsyncIterable<Uint8Array> {
  let remaining = options.payloadSize ?? Infinity
  const pending = new Uint8Array(BATCH_QUADS * FR32_OUT)
  let fill = 0
  let total = 0
  for await (const chunk of source) {
    options.signal?.throwIfAborted()
    total += chunk.length
    let at = 0
    while (at < chunk.length && remaining > 0) {
      const take = Math.min(pending.length - fill, chunk.length - at)
      pending.set(chunk.subarray(at, at + take), fill)
      fill += take
      at += take
      if (fill === pending.length) {
        const out = unpad(pending)
        yield out.length > remaining ? out.subarray(0, remaining) : out
        remaining -= out.length
        fill = 0
      }
    }
    if (remaining <= 0) return
  }
  if (fill % FR32_OUT !== 0) throw new Fr32LengthError('unpad', total)
  if (fill > 0) {
    const out = unpad(pending.subarray(0, fill))
    yield out.length > remaining ? out.subarray(0, remaining) : out
  }
}

function pad(input: Uint8Array): Uint8Array {
  const out = new Uint8Array((input.length / FR32_IN) * FR32_OUT)
  const native = getProofsNative()
  if (native) native.fr32Pad(input, out)
  else fr32Pad(input, out)
  return out
}

function unpad(input: Uint8Array): Uint8Array {
  const out = new Uint8Array((input.length / FR32_OUT) * FR32_IN)
  const native = getProofsNative()
  if (native) native.fr32Unpad(input, out)
  else fr32Unpad(input, out)
  return out
}
