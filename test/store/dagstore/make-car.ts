/** A small CARv1 of raw blocks for dagstore tests. */
import { CarBufferWriter } from '@ipld/car'
import { writeFileSync } from 'node:fs'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

/** Writes `count` raw blocks ("block <seed>-<i> " and i x's) to `path` as a CARv1; returns their CIDs. */
export async function makeCar(path: string, count: number, seed: number): Promise<CID[]> {
  const blocks = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const bytes = new TextEncoder().encode(`block ${seed}-${i} ${'x'.repeat(i)}`)
      return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
    }),
  )
  const buf = new ArrayBuffer(64 * 1024)
  const w = CarBufferWriter.createWriter(buf, { roots: [blocks[0].cid] })
  for (const b of blocks) w.write(b)
  writeFileSync(path, w.close({ resize: true }))
  return blocks.map((b) => b.cid)
}
