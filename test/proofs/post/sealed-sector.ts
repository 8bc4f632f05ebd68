/** Seals real sectors in a temporary store for the PoSt, update and unseal tests. */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSectorStore, nodeSectorFs, type SectorStore } from '../../../src/proofs/layout/index.ts'
import { sealPreCommit1, sealPreCommit2, writeUnsealedSector, type SectorRef } from '../../../src/proofs/porep/index.ts'
import { createSectorId, sealProofForSize, type RegisteredSealProof } from '../../../src/proofs/sector/index.ts'

/** Miner of every test sector. */
export const MINER = 1000n

/** Deterministic bytes: SHA-256 in counter mode over `seed`. */
export function bytesFrom(seed: string, size: number): Uint8Array {
  const out = new Uint8Array(size)
  for (let i = 0, at = 0; at < size; i++, at += 32) {
    const block = createHash('sha256').update(`${seed}:${i}`).digest()
    out.set(block.subarray(0, Math.min(32, size - at)), at)
  }
  return out
}

/** 32 bytes that are a valid field element (ticket, seed, randomness). */
export function fieldBytes(seed: string): Uint8Array {
  const b = bytesFrom(seed, 32)
  b[31] &= 0x3f
  return b
}

/** A temporary store, removed by `dispose`. */
export function tempStore(): SectorStore & { dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'petal-post-'))
  return { ...createSectorStore(root, nodeSectorFs), dispose: () => rmSync(root, { recursive: true, force: true }) }
}

/** A sealed sector: what PoSt, update and unseal need to know about it. */
export interface SealedSector {
  readonly sector: SectorRef
  readonly ticket: Uint8Array
  readonly payload: Uint8Array
  readonly commR: Uint8Array
  readonly commD: Uint8Array
}

/** Seals `payload` (default: deterministic from the sector number) into sector `number` of `store`. */
export async function sealSector(store: SectorStore, number: number, sectorSize = 2048, payload?: Uint8Array): Promise<SealedSector> {
  const proofType = sealProofForSize(sectorSize) as RegisteredSealProof
  const sector: SectorRef = { id: createSectorId(MINER, number), proofType }
  const data = payload ?? bytesFrom(`payload-${number}`, (sectorSize / 128) * 127)
  await writeUnsealedSector(store, sector, data)
  const ticket = fieldBytes(`ticket-${number}`)
  const pc1 = await sealPreCommit1(store, sector, ticket)
  const { commR, commD } = await sealPreCommit2(store, sector, pc1)
  return { sector, ticket, payload: data, commR, commD }
}
