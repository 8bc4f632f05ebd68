/** The import hashing worker: digests equal node:crypto's, and its failures arrive as our typed errors. */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blake2b } from '../../../src/store/car/blake2b.ts'
import { openCarNative } from '../../../src/node/runtime/native/index.ts'
import { ChunkHasher } from '../../../src/store/imports/chunk-hasher.ts'

describe('ChunkHasher', () => {
  let dir: string
  let hasher: ChunkHasher
  const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31) & 0xff)
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'petal-chunk-hasher-'))
    writeFileSync(join(dir, 'f.bin'), data)
    hasher = new ChunkHasher('sha256')
  })
  afterAll(async () => {
    await hasher.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('hashes a range of a file as node:crypto does, with either algorithm', async () => {
    const want = createHash('sha256').update(data.subarray(1000, 51_000)).digest()
    expect(Buffer.from(await hasher.hashRange(join(dir, 'f.bin'), 1000, 50_000)).equals(want)).toBe(true)
    const blake = new ChunkHasher('blake2b256')
    try {
      // blake2b-256 (Lotus's leaves) as the CAR layer's own implementation computes it.
      const got = await blake.hashRange(join(dir, 'f.bin'), 0, data.length)
      expect(Buffer.from(got).equals(Buffer.from(blake2b(data, 32)))).toBe(true)
    } finally {
      await blake.close()
    }
  })

  it('a range past the end of the file is E_IMPORT_SOURCE_CHANGED at that offset; a missing file E_FILE_NOT_FOUND', async () => {
    await expect(hasher.hashRange(join(dir, 'f.bin'), 90_000, 20_000)).rejects.toMatchObject({ code: 'E_IMPORT_SOURCE_CHANGED', path: join(dir, 'f.bin'), offset: 90_000 })
    await expect(hasher.hashRange(join(dir, 'nope.bin'), 0, 10)).rejects.toMatchObject({ code: 'E_FILE_NOT_FOUND' })
    // The worker is still usable afterwards.
    expect((await hasher.hashRange(join(dir, 'f.bin'), 0, 10)).length).toBe(32)
  })

  it('hashes with libpetal when given its path, and with node:crypto when the library will not load', async () => {
    let library: string | undefined
    try {
      library = openCarNative().library
    } catch {
      library = undefined // no C compiler here: only the fallback is checked
    }
    for (const [path, native] of [[library, true], [join(dir, 'no-such-library.so'), false]] as const) {
      if (path === undefined) continue
      const h = new ChunkHasher('sha256', path)
      try {
        expect(await h.usesNative()).toBe(native)
        for (const [at, length] of [[0, 0], [3, 55], [0, 64], [1, 65], [7, 99_000]]) {
          const want = createHash('sha256').update(data.subarray(at, at + length)).digest()
          expect(Buffer.from(await h.hashRange(join(dir, 'f.bin'), at, length)).equals(want)).toBe(true)
        }
      } finally {
        await h.close()
      }
    }
    expect(await hasher.usesNative()).toBe(false)
  })
})
