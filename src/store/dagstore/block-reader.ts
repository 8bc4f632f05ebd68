/**
 * Reads one block out of a shard's bytes, given the index entry: parses the section header at the offset,
 * checks the stored CID's multihash is the one asked for, and verifies the bytes hash to it.
 */
import { createHash } from 'node:crypto'
import { CID } from 'multiformats/cid'
import { varint } from 'multiformats'
import { equals } from 'multiformats/bytes'
import { sha256 } from '../car/hashing.ts'
import { digestOffThread } from '../dag/verify.ts'
import { StoreError } from '../errors.ts'
import type { MountReader } from './types.ts'

/** Bytes read first: the section varint and a CID almost always fit. */
const HEAD = 96
/** go-car's cap on an indexed CID's length. */
const MAX_CID = 2048

const HASHES: Record<number, string> = { 0x12: 'sha256', 0xb220: 'blake2b256', 0x13: 'sha512' }

/** The section found at an index entry does not hold the expected block (disk corruption or a stale index). */
export class ShardBlockCorruptError extends StoreError {
  override name = 'ShardBlockCorruptError'
  constructor(message: string) {
    super('E_SHARD_BLOCK_CORRUPT', message)
  }
}

/**
 * The CID stored in the shard and the block's bytes at `payloadOffset` (section start, relative to the
 * payload). The section must hold the expected multihash; the bytes are hash-checked unless `verify` is
 * false (for a caller that checks them itself).
 */
export function readBlockAt(reader: MountReader, dataOffset: number, payloadOffset: number, size: number, expected: Uint8Array, verify = true): { cid: CID; bytes: Uint8Array } {
  const start = dataOffset + payloadOffset
  let head = reader.readAt(start, HEAD + size <= 4096 ? HEAD + size : HEAD)
  let [sectionLength, n] = safeVarint(head)
  let cid: CID | undefined
  let cidLength = 0
  for (let want = HEAD; cid === undefined; want *= 4) {
    try {
      ;[cid, cidLength] = decodeCid(head.subarray(n))
    } catch (cause) {
      if (want >= MAX_CID || head.length < want) throw new ShardBlockCorruptError(`no CID at payload offset ${payloadOffset}: ${(cause as Error).message}`)
      head = reader.readAt(start, want * 4)
      ;[sectionLength, n] = safeVarint(head)
    }
  }
  if (sectionLength !== cidLength + size) throw new ShardBlockCorruptError(`section at payload offset ${payloadOffset} is ${sectionLength} bytes, index says ${cidLength + size}`)
  if (!equals(cid.multihash.bytes, expected)) throw new ShardBlockCorruptError(`section at payload offset ${payloadOffset} holds ${cid}, not the block asked for`)
  const dataStart = n + cidLength
  const bytes = head.length >= dataStart + size ? head.subarray(dataStart, dataStart + size) : reader.readAt(start + dataStart, size)
  if (bytes.length !== size) throw new ShardBlockCorruptError(`block ${cid} is truncated in the shard`)
  if (verify) verifyBlockBytes(cid, bytes)
  return { cid, bytes }
}

/** `verifyBlockBytes` with large sha2 blocks hashed off the main thread (same errors). */
export async function verifyBlockBytesAsync(cid: CID, bytes: Uint8Array): Promise<void> {
  const digest = digestOffThread(cid, bytes)
  if (digest === undefined) return verifyBlockBytes(cid, bytes)
  if (!equals(await digest, cid.multihash.digest)) throw new ShardBlockCorruptError(`block ${cid} does not hash to its CID`)
}

function safeVarint(bytes: Uint8Array): [number, number] {
  try {
    return varint.decode(bytes)
  } catch (cause) {
    throw new ShardBlockCorruptError(`bad section length: ${(cause as Error).message}`)
  }
}

function decodeCid(bytes: Uint8Array): [CID, number] {
  const [cid, rest] = CID.decodeFirst(bytes)
  return [cid, bytes.length - rest.length]
}

/** Checks `bytes` against `cid`'s multihash (sha2-256, sha2-512, blake2b-256, identity). */
export function verifyBlockBytes(cid: CID, bytes: Uint8Array): void {
  const code = cid.multihash.code
  if (code === 0x00) {
    if (!equals(cid.multihash.digest, bytes)) throw new ShardBlockCorruptError(`identity block ${cid} does not match its bytes`)
    return
  }
  const algorithm = HASHES[code]
  if (!algorithm) return // an unknown hash cannot be checked here; the CAR layer refused it at indexing unless trusted
  const d = code === 0x12 ? sha256(bytes) : createHash(algorithm).update(bytes).digest()
  if (!equals(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), cid.multihash.digest)) throw new ShardBlockCorruptError(`block ${cid} does not hash to its CID`)
}
