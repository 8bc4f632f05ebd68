/**
 * commP of files and streams as `petal commp` and the RPC compute it: golden vectors, the parallel paths
 * (workers reading file ranges, workers fed from a stream) against this thread and TypeScript, and bad input.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { calcCommPFromFile, calcCommPFromStream, PARALLEL_THRESHOLD, toLotusCommPRet } from '../../../src/node/commp/index.ts'
import { commPFromBytes, pieceFromDigest, typescriptTreeHasher } from '../../../src/proofs/index.ts'
import { chunked, codeOfAsync, mod251 } from '../../proofs/helpers.ts'
import { MOD251_1MIB } from '../../proofs/vectors.ts'

const MAIN = resolve(import.meta.dirname, '../../../src/main.ts')
const dir = mkdtempSync(join(tmpdir(), 'petal-commp-'))
let large: Uint8Array
let largeExpected: { pieceCid: string; pieceCidV2: string; payloadSize: number; pieceSize: number }

beforeAll(() => {
  // Past the parallel threshold, not a multiple of the 4 MiB chunk: workers, then a tail on this thread.
  large = new Uint8Array(PARALLEL_THRESHOLD + 5 * 127 * 2 ** 15 + 12345)
  for (let i = 0, s = 7; i < large.length; i += 4) {
    s = (Math.imul(s, 1664525) + 1013904223) | 0
    large[i] = s
    large[i + 1] = s >>> 8
    large[i + 2] = s >>> 16
    large[i + 3] = s >>> 24
  }
  writeFileSync(join(dir, 'large.bin'), large)
  writeFileSync(join(dir, 'mod251.bin'), mod251(MOD251_1MIB.size))
  const piece = pieceFromDigest(commPFromBytes(large, { hasher: typescriptTreeHasher }))
  largeExpected = { pieceCid: piece.pieceCid.toString(), pieceCidV2: piece.pieceCidV2.toString(), payloadSize: piece.payloadSize, pieceSize: piece.pieceSize }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('calcCommPFromFile', () => {
  it('gives the issue vector for 1 MiB of i % 251', async () => {
    expect(await calcCommPFromFile(join(dir, 'mod251.bin'))).toEqual({
      pieceCid: MOD251_1MIB.v1,
      pieceCidV2: MOD251_1MIB.v2,
      payloadSize: MOD251_1MIB.size,
      pieceSize: MOD251_1MIB.pieceSize,
    })
  })

  it('gives the TypeScript result on all cores and on one thread for a file past the parallel threshold', async () => {
    const progress: number[] = []
    const parallel = await calcCommPFromFile(join(dir, 'large.bin'), { threads: 2, onProgress: (done) => progress.push(done) })
    expect(parallel).toEqual(largeExpected)
    expect(progress.at(-1)).toBe(large.length)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(await calcCommPFromFile(join(dir, 'large.bin'), { threads: 1 })).toEqual(largeExpected)
    // More workers than cores: results arrive out of order and must still enter the tree in order.
    expect(await calcCommPFromFile(join(dir, 'large.bin'), { threads: 4 })).toEqual(largeExpected)
  })

  it('answers in the shape of Lotus ClientCalcCommP: the v1 root and the unpadded size', async () => {
    const ret = toLotusCommPRet(await calcCommPFromFile(join(dir, 'mod251.bin')))
    expect(ret).toEqual({ Root: { '/': MOD251_1MIB.v1 }, Size: 2080768 })
  })

  it('rejects missing files, directories, empty and too-small files with one typed error each', async () => {
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'empty'), '')
    writeFileSync(join(dir, 'tiny'), new Uint8Array(64))
    expect(await codeOfAsync(() => calcCommPFromFile(join(dir, 'missing')))).toBe('E_FILE_UNREADABLE')
    expect(await codeOfAsync(() => calcCommPFromFile(join(dir, 'sub')))).toBe('E_FILE_UNREADABLE')
    expect(await codeOfAsync(() => calcCommPFromFile(join(dir, 'empty')))).toBe('E_PAYLOAD_EMPTY')
    expect(await codeOfAsync(() => calcCommPFromFile(join(dir, 'tiny')))).toBe('E_PAYLOAD_TOO_SMALL')
  })

  it('rejects a file past a 64 GiB piece before reading it', async () => {
    const huge = join(dir, 'huge.bin')
    writeFileSync(huge, '')
    // Sparse: one byte more than a 64 GiB piece holds, no disk used.
    truncateSync(huge, (2 ** 36 / 128) * 127 + 1)
    expect(await codeOfAsync(() => calcCommPFromFile(huge))).toBe('E_PAYLOAD_TOO_LARGE')
    rmSync(huge)
  })

  it('stops when aborted', async () => {
    const ac = new AbortController()
    ac.abort()
    await expect(calcCommPFromFile(join(dir, 'large.bin'), { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' })
  })
})

describe('calcCommPFromStream', () => {
  it('gives the same result with workers joining mid-stream as on one thread', async () => {
    expect(await calcCommPFromStream(chunked(large, 5, 1 << 20), { threads: 2 })).toEqual(largeExpected)
    expect(await calcCommPFromStream(chunked(large, 6, 1 << 20), { threads: 1 })).toEqual(largeExpected)
  })

  it('rejects an empty or too-small stream', async () => {
    expect(await codeOfAsync(() => calcCommPFromStream(chunked(new Uint8Array(0))))).toBe('E_PAYLOAD_EMPTY')
    expect(await codeOfAsync(() => calcCommPFromStream(chunked(new Uint8Array(10))))).toBe('E_PAYLOAD_TOO_SMALL')
  })
})

describe('petal commp', () => {
  const petal = (args: string[], input?: Uint8Array) => spawnSync(process.execPath, [MAIN, 'commp', ...args], { input, encoding: 'utf8' })

  it('prints sizes and both CIDs, or JSON with --json, for a file and for standard input', () => {
    const text = petal([join(dir, 'mod251.bin')])
    expect(text.status).toBe(0)
    expect(text.stdout).toContain(`Piece CID:     ${MOD251_1MIB.v1}`)
    expect(text.stdout).toContain(`Piece CID v2:  ${MOD251_1MIB.v2}`)
    expect(text.stdout).toMatch(/Payload size: +1048576 \(1 MiB\)/)
    expect(text.stdout).toMatch(/Piece size: +2097152 \(2 MiB\)/)
    const json = petal(['-', '--json', '--native', 'off'], mod251(MOD251_1MIB.size))
    expect(json.status).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual({ payloadSize: 1048576, pieceSize: 2097152, pieceCid: MOD251_1MIB.v1, pieceCidV2: MOD251_1MIB.v2 })
  })

  it('fails with one line and a code for unreadable or too-small input and bad flags', () => {
    const missing = petal([join(dir, 'missing')])
    expect(missing.status).toBe(1)
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(missing.stderr).toMatch(/^petal: E_FILE_UNREADABLE: /)
    expect(petal(['-'], new Uint8Array(3)).stderr).toMatch(/^petal: E_PAYLOAD_TOO_SMALL: /)
    expect(petal([join(dir, 'mod251.bin'), '--threads', '0']).stderr).toMatch(/^petal: E_THREADS_INVALID: /)
    expect(petal([join(dir, 'mod251.bin'), '--native', 'maybe']).stderr).toMatch(/^petal: E_NATIVE_MODE_INVALID: /)
  })
})
