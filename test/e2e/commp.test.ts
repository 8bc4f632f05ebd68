import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, cli, startNode, stopNode, tempDir, type TestNode } from './harness.ts'

const V1_1MIB = 'baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi'
const V2_1MIB = 'bafkzcibeqcad6ec7b3pqt35rpozogshuebnijtmrs4mlfvqvgem7kqrdr5gnxaxjdu'

describe('piece commitments in the single binary', () => {
  let dir: string
  let node: TestNode
  let small: string
  let large: string

  beforeAll(async () => {
    dir = tempDir()
    const repo = join(dir, 'repo')
    expect(cli(['init', '--repo', repo]).code).toBe(0)
    small = join(dir, 'i-mod-251.bin')
    writeFileSync(small, Uint8Array.from({ length: 1 << 20 }, (_, i) => i % 251))
    // Past the 32 MiB threshold: the embedded commP workers hash it.
    large = join(dir, 'large.bin')
    const big = new Uint8Array(40 * 2 ** 20)
    for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 0xff
    writeFileSync(large, big)
    node = await startNode(repo)
  })
  afterAll(async () => {
    await stopNode(node)
    cleanup(dir)
  })

  it('answers Filecoin.ClientCalcCommP with Lotus’s CommPRet', async () => {
    const res = await node.rpc('Filecoin.ClientCalcCommP', [small])
    expect(res.result).toEqual({ Root: { '/': V1_1MIB }, Size: 2080768 }) // unpadded size of the 2 MiB piece
  })

  it('gives typed errors for a missing file and a relative path', async () => {
    const missing = await node.rpc('Filecoin.ClientCalcCommP', [join(dir, 'nope')])
    expect(missing.error.data.code).toBe('E_FILE_UNREADABLE')
    expect(missing.error.code).toBe(143)
    const relative = await node.rpc('Filecoin.ClientCalcCommP', ['relative/file'])
    expect(relative.error.data.code).toBe('E_INVALID_ARGUMENT')
  })

  it('reports the embedded native library and gives the same CIDs on both paths', () => {
    const version = cli(['version', '--json'])
    expect(JSON.parse(version.stdout).proofs).toMatch(/^native \(/)
    const native = JSON.parse(cli(['commp', small, '--json']).stdout)
    expect(native).toEqual({ payloadSize: 1 << 20, pieceSize: 1 << 21, pieceCid: V1_1MIB, pieceCidV2: V2_1MIB })
    const bigNative = JSON.parse(cli(['commp', large, '--json']).stdout)
    const bigTs = JSON.parse(cli(['commp', large, '--json'], { PETAL_NATIVE: 'off' }).stdout)
    expect(bigNative).toEqual(bigTs)
    expect(JSON.parse(cli(['version', '--json'], { PETAL_NATIVE: 'off' }).stdout).proofs).toMatch(/^typescript/)
  })
})
