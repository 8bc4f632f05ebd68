/**
 * Sector identity: the miner actor id and sector number, the prover id the proofs hash (the ID address
 * payload, filecoin-ffi `toProverID`), and Lotus's file name for a sector (`s-t0<miner>-<number>`,
 * storiface `SectorName`).
 */
import { Bytes32InvalidError, NotAFieldElementError, SectorIdInvalidError } from './errors.ts'

/** A sector: the miner's actor id and the sector number (Lotus `abi.SectorID`). */
export interface SectorId {
  readonly miner: bigint
  readonly number: bigint
}

const U64_MAX = (1n << 64n) - 1n

/** Checks and converts a u64 given as number or bigint. */
export function toU64(what: string, value: number | bigint): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new SectorIdInvalidError(what, value)
  if (typeof value !== 'number' && typeof value !== 'bigint') throw new SectorIdInvalidError(what, value)
  const v = BigInt(value)
  if (v < 0n || v > U64_MAX) throw new SectorIdInvalidError(what, value)
  return v
}

/** A SectorId from numbers or bigints, checked. */
export function createSectorId(miner: number | bigint, number: number | bigint): SectorId {
  return Object.freeze({ miner: toU64('miner id', miner), number: toU64('sector number', number) })
}

/** Lotus's file name of a sector: `s-t0<miner>-<number>`. */
export function sectorName(id: SectorId): string {
  return `s-t0${id.miner}-${id.number}`
}

/** The 32-byte prover id of a miner: the uvarint of its actor id, zero-padded (filecoin-ffi `toProverID`). */
export function proverIdFromActorId(actorId: number | bigint): Uint8Array {
  let v = toU64('miner id', actorId)
  const out = new Uint8Array(32)
  let i = 0
  do {
    const byte = Number(v & 0x7fn)
    v >>= 7n
    out[i++] = v > 0n ? byte | 0x80 : byte
  } while (v > 0n)
  return out
}

/** Throws `E_BYTES32_INVALID` unless `value` is 32 bytes; returns it. */
export function checkBytes32(what: string, value: Uint8Array): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 32) throw new Bytes32InvalidError(what, value?.length ?? 0)
  return value
}

/** Throws unless `value` is 32 bytes with its top two bits clear (a safe BLS12-381 scalar, `as_safe_commitment`). */
export function checkFieldElement(what: string, value: Uint8Array): Uint8Array {
  checkBytes32(what, value)
  if (value[31] & 0xc0) throw new NotAFieldElementError(what)
  return value
}

/** u64 big-endian bytes. */
export function u64be(v: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, v, false)
  return out
}

/** u64 little-endian bytes. */
export function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, v, true)
  return out
}
