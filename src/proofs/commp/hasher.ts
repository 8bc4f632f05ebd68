/**
 * The synchronous streaming commP hasher: `write` payload bytes in any slicing, take a `digest`. Whole chunks
 * go to the subtree hasher (native when installed, else TypeScript) straight from the caller's bytes when
 * they are aligned; the partial chunk at the end is split into power-of-two subtrees. Memory: one chunk.
 */
import { MAX_PAYLOAD_SIZE, paddedSizeForPayload, treeHeight } from '../piece/size.ts'
import { PayloadTooLargeError } from '../piece/errors.ts'
import { activeTreeHasher } from '../native/backend.ts'
import { NodeStack } from './node-stack.ts'
import { SubtreeMisalignedError } from './errors.ts'
import type { PieceDigest, PieceTreeHasher } from './types.ts'

/** Quads per chunk of the synchronous hasher: 2^13 quads = 1,040,384 payload bytes (a 1 MiB subtree). */
export const CHUNK_QUADS = 2 ** 13

/** Options of `CommPHasher`. */
export interface CommPHasherOptions {
  /** Subtree hasher; defaults to the installed native accelerator, else TypeScript. */
  hasher?: PieceTreeHasher
  /** Quads per chunk, a power of two (default 2^13). */
  chunkQuads?: number
}

/** Incremental commP over payload bytes written in any slicing; `digest` at any point. */
export class CommPHasher {
  readonly hasher: PieceTreeHasher
  private readonly chunkSize: number
  private readonly chunkLevel: number
  private buffer: Uint8Array | undefined
  private offset = 0
  private count = 0
  private stack = new NodeStack()
  private readonly node = new Uint8Array(32)

  constructor(options: CommPHasherOptions = {}) {
    this.hasher = options.hasher ?? activeTreeHasher()
    const quads = options.chunkQuads ?? CHUNK_QUADS
    this.chunkSize = quads * 127
    this.chunkLevel = Math.log2(quads) + 2
  }

  /** Payload bytes written so far. */
  get payloadSize(): number {
    return this.count
  }

  /** Adds payload bytes. Throws `E_PAYLOAD_TOO_LARGE` (and keeps its state) past a 64 GiB piece. */
  write(bytes: Uint8Array): this {
    const length = bytes.length
    if (this.count + length > MAX_PAYLOAD_SIZE) throw new PayloadTooLargeError(this.count + length, MAX_PAYLOAD_SIZE)
    const size = this.chunkSize
    let at = 0
    if (this.offset > 0) {
      const buffer = this.buffer!
      const take = Math.min(size - this.offset, length)
      buffer.set(bytes.subarray(0, take), this.offset)
      this.offset += take
      at = take
      if (this.offset === size) {
        this.absorb(buffer, this.chunkLevel)
        this.offset = 0
      }
    }
    // Whole chunks straight from the caller's bytes: no copy.
    for (; length - at >= size; at += size) this.absorb(bytes.subarray(at, at + size), this.chunkLevel)
    if (at < length) {
      this.buffer ??= new Uint8Array(size)
      this.buffer.set(bytes.subarray(at), 0)
      this.offset = length - at
    }
    this.count += length
    return this
  }

  /**
   * Adds the root of `payloadBytes` (127 × 2^k) hashed elsewhere, e.g. by a worker. The stream must be at a
   * multiple of that size, with nothing buffered.
   */
  writeSubtreeRoot(root: Uint8Array, payloadBytes: number): this {
    const quads = payloadBytes / 127
    if (this.count + payloadBytes > MAX_PAYLOAD_SIZE) throw new PayloadTooLargeError(this.count + payloadBytes, MAX_PAYLOAD_SIZE)
    if (this.offset !== 0 || (this.count / 127) % quads !== 0) throw new SubtreeMisalignedError(this.count, payloadBytes)
    this.stack.push(root.slice(), Math.log2(quads) + 2)
    this.count += payloadBytes
    return this
  }

  /** The digest of everything written so far; writing may continue afterwards. */
  digest(): PieceDigest {
    const stack = this.stack.clone()
    if (this.offset > 0) {
      const buffer = this.buffer!
      const quads = Math.ceil(this.offset / 127)
      buffer.fill(0, this.offset, quads * 127)
      // Power-of-two runs, largest first: each is aligned because the stream before it was.
      let at = 0
      for (let bit = 31 - Math.clz32(quads); bit >= 0; bit--) {
        const run = 2 ** bit
        if ((quads & run) === 0) continue
        const root = new Uint8Array(32)
        this.hasher.subtreeRoot(buffer.subarray(at * 127, (at + run) * 127), root)
        stack.push(root, bit + 2)
        at += run
      }
    }
    const pieceSize = paddedSizeForPayload(this.count)
    const height = treeHeight(pieceSize)
    return { root: stack.root(height), payloadSize: this.count, pieceSize, height, padding: (pieceSize / 128) * 127 - this.count }
  }

  private absorb(chunk: Uint8Array, level: number): void {
    this.hasher.subtreeRoot(chunk, this.node)
    this.stack.push(this.node.slice(), level)
  }
}
