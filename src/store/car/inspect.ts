/**
 * `inspect` and `verify`: one pass over a CAR's payload that gathers go-car's Inspect statistics, verifies
 * every block against its CID, and checks the embedded index (if any) against the data.
 */
import { CID } from 'multiformats/cid'
import { cidParts } from './cid-bytes.ts'
import { checkIndex } from './check-index.ts'
import { CarCidMismatchError, CarUnsupportedHashError } from './errors.ts'
import { digestMatches } from './hashing.ts'
import { readIndex } from './index-codec.ts'
import { codecName, hashName, indexCodecName } from './names.ts'
import { readCarLayout } from './read-header.ts'
import { scanSections, type ScanEnd } from './scan.ts'
import type { ByteSource, CarLayout, DigestFunction, ProgressOptions, ReadOptions } from './types.ts'
import { StoreError } from '../errors.ts'

/** min / average (rounded down, as go-car) / max. */
export interface Spread {
  min: number
  avg: number
  max: number
}

/** A failure reported instead of thrown. */
export interface Problem {
  code: string
  message: string
}

/** What `inspectCar` found. */
export interface CarInspection {
  layout: CarLayout
  blockCount: number
  /** Whether every root's block is in the payload. */
  rootsPresent: boolean
  blockLength: Spread
  cidLength: Spread
  /** Section count by codec name. */
  codecs: Record<string, number>
  /** Section count by multihash name. */
  hashes: Record<string, number>
  /** Why the payload scan stopped: its end, or a zero-length section (padding). */
  end: ScanEnd['reason']
  index: { present: boolean; codec?: string; entries?: number; matchesData?: boolean; problem?: Problem }
  /** Present when verification ran: blocks verified, and the first failure. */
  verification?: { ok: boolean; verified: number; problem?: Problem }
}

/** Options of `inspectCar`. */
export interface InspectOptions extends ProgressOptions, ReadOptions {
  /** Hash-check every block (default true). */
  verify?: boolean
}

function problemOf(err: unknown): Problem {
  if (err instanceof StoreError) return { code: err.code, message: err.message }
  throw err
}

/** Inspects the CAR in `source`. Structural errors throw; verification and index failures are reported. */
export async function inspectCar(source: ByteSource, options: InspectOptions = {}): Promise<CarInspection> {
  const verify = options.verify ?? true
  const layout = await readCarLayout(source, options)
  const codecs: Record<string, number> = {}
  const hashes: Record<string, number> = {}
  const block = { min: Infinity, sum: 0, max: 0 }
  const cid = { min: Infinity, sum: 0, max: 0 }
  let count = 0
  let verified = 0
  const roots = layout.roots.map((r) => r.bytes)
  const found = roots.map(() => false)
  let failure: Problem | undefined
  const hashers: Record<number, DigestFunction> | undefined = options.hashers
  const end = await scanSections(
    source,
    layout,
    (s) => {
      count++
      const cidEnd = s.at + s.headerLength
      for (let r = 0; r < roots.length; r++) if (!found[r] && sameBytes(s.buf, cidEnd - cidParts.length, cidEnd, roots[r])) found[r] = true
      const blockLength = s.length - s.headerLength
      block.min = Math.min(block.min, blockLength)
      block.max = Math.max(block.max, blockLength)
      block.sum += blockLength
      cid.min = Math.min(cid.min, cidParts.length)
      cid.max = Math.max(cid.max, cidParts.length)
      cid.sum += cidParts.length
      const codec = codecName(cidParts.codec)
      codecs[codec] = (codecs[codec] ?? 0) + 1
      const hash = hashName(cidParts.hashCode)
      hashes[hash] = (hashes[hash] ?? 0) + 1
      if (!verify || failure !== undefined) return
      const data = s.buf.subarray(s.at + s.headerLength, s.at + s.length)
      try {
        if (!digestMatches(cidParts.hashCode, s.buf, cidParts.digestStart, cidParts.digestLength, data, hashers)) {
          throw new CarCidMismatchError(cidString(s.buf, s.at + s.headerLength - cidParts.length, s.at + s.headerLength), s.offset)
        }
        verified++
      } catch (err) {
        if (err instanceof CarCidMismatchError || err instanceof CarUnsupportedHashError) failure = problemOf(err)
        else throw err
      }
    },
    { ...options, withData: verify },
  )
  const spread = (x: { min: number; sum: number; max: number }): Spread =>
    count === 0 ? { min: 0, avg: 0, max: 0 } : { min: x.min, avg: Math.floor(x.sum / count), max: x.max }
  const inspection: CarInspection = {
    layout,
    blockCount: count,
    rootsPresent: found.every(Boolean),
    blockLength: spread(block),
    cidLength: spread(cid),
    codecs,
    hashes,
    end: end.reason,
    index: { present: false },
  }
  if (layout.v2 !== undefined && layout.v2.indexOffset !== 0) {
    inspection.index.present = true
    try {
      const decoded = await readIndex(source, { start: layout.v2.indexOffset, signal: options.signal })
      inspection.index.codec = indexCodecName(decoded.codec)
      inspection.index.entries = decoded.index.count
      await checkIndex(source, layout, decoded.index, 'full', { signal: options.signal })
      inspection.index.matchesData = true
    } catch (err) {
      inspection.index.matchesData = false
      inspection.index.problem = problemOf(err)
    }
  }
  if (verify) inspection.verification = { ok: failure === undefined, verified, problem: failure }
  return inspection
}

function sameBytes(buf: Uint8Array, start: number, end: number, other: Uint8Array): boolean {
  if (end - start !== other.length) return false
  for (let i = 0; i < other.length; i++) if (buf[start + i] !== other[i]) return false
  return true
}

// Only a failing block pays for building a CID object.
function cidString(buf: Uint8Array, start: number, end: number): string {
  return CID.decode(buf.subarray(start, end)).toString()
}

/** Throws the first verification failure of the CAR in `source` (structure, hashes); returns the block count. */
export async function verifyCar(source: ByteSource, options: ReadOptions & ProgressOptions = {}): Promise<number> {
  const layout = await readCarLayout(source, options)
  let count = 0
  await scanSections(
    source,
    layout,
    (s) => {
      const data = s.buf.subarray(s.at + s.headerLength, s.at + s.length)
      if (options.trusted !== true && !digestMatches(cidParts.hashCode, s.buf, cidParts.digestStart, cidParts.digestLength, data, options.hashers)) {
        throw new CarCidMismatchError(cidString(s.buf, s.at + s.headerLength - cidParts.length, s.at + s.headerLength), s.offset)
      }
      count++
    },
    { ...options, withData: true },
  )
  return count
}
