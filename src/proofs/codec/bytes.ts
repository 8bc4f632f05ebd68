/**
 * A tiny binary codec for proofs: fixed-width big-endian integers and raw byte runs, written into a
 * growing buffer and read back with bounds checks. Every decoding failure is `E_PROOF_MALFORMED`, so hostile
 * proof bytes can only ever produce that error.
 */
import { ProofMalformedError } from './errors.ts'

/** Appends values to a growing buffer. */
export class ByteWriter {
  private buf = new Uint8Array(4096)
  private view = new DataView(this.buf.buffer)
  private at = 0

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.at + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.at))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  u8(v: number): this {
    this.reserve(1)
    this.view.setUint8(this.at, v)
    this.at += 1
    return this
  }

  u16(v: number): this {
    this.reserve(2)
    this.view.setUint16(this.at, v, false)
    this.at += 2
    return this
  }

  u32(v: number): this {
    this.reserve(4)
    this.view.setUint32(this.at, v, false)
    this.at += 4
    return this
  }

  u64(v: bigint): this {
    this.reserve(8)
    this.view.setBigUint64(this.at, v, false)
    this.at += 8
    return this
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length)
    this.buf.set(b, this.at)
    this.at += b.length
    return this
  }

  /** The bytes written (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.at)
  }
}

/** Reads values with bounds checks. */
export class ByteReader {
  private readonly view: DataView
  private at = 0

  constructor(private readonly buf: Uint8Array, private readonly what: string) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new ProofMalformedError(this.what, `truncated at byte ${this.at}`)
  }

  u8(): number {
    this.need(1)
    return this.view.getUint8(this.at++)
  }

  u16(): number {
    this.need(2)
    const v = this.view.getUint16(this.at, false)
    this.at += 2
    return v
  }

  u32(): number {
    this.need(4)
    const v = this.view.getUint32(this.at, false)
    this.at += 4
    return v
  }

  u64(): bigint {
    this.need(8)
    const v = this.view.getBigUint64(this.at, false)
    this.at += 8
    return v
  }

  /** `n` bytes (a copy). */
  bytes(n: number): Uint8Array {
    this.need(n)
    const out = this.buf.slice(this.at, this.at + n)
    this.at += n
    return out
  }

  /** Checks a magic tag. */
  magic(tag: string): void {
    const got = new TextDecoder().decode(this.bytes(tag.length))
    if (got !== tag) throw new ProofMalformedError(this.what, `expected tag ${tag}`)
  }

  /** Throws unless every byte was read. */
  end(): void {
    if (this.at !== this.buf.length) throw new ProofMalformedError(this.what, `${this.buf.length - this.at} trailing bytes`)
  }

  /** Throws `E_PROOF_MALFORMED` with `why` unless `ok`. */
  check(ok: boolean, why: string): void {
    if (!ok) throw new ProofMalformedError(this.what, why)
  }
}

/** The bytes of an ASCII tag. */
export function tagBytes(tag: string): Uint8Array {
  return new TextEncoder().encode(tag)
}
