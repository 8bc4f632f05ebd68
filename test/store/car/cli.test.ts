/**
 * `petal car …` through the real CLI entry point (a child bun process): outputs, files written, and one-line
 * coded errors with a non-zero exit.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fixture, fixtureBytes, tempDir } from './helpers.ts'

const main = new URL('../../../src/main.ts', import.meta.url).pathname
const tmp = tempDir()
afterAll(tmp.cleanup)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

function petal(...args: string[]): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [main, 'car', ...args], { encoding: 'buffer', env: { ...process.env, NO_COLOR: '1' } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() }
}

describe('petal car', () => {
  it('inspect prints what go-car prints for sample-wrapped-v2.car, and --json the same facts', () => {
    const text = petal('inspect', fixture('v2/sample-wrapped-v2.car'))
    expect(text.status).toBe(0)
    const out = text.stdout.toString()
    for (const line of [
      'Version: 2',
      'Characteristics: 00000000000000000000000000000000',
      'Data offset: 51',
      'Data (payload) length: 479907',
      'Index offset: 479958',
      'Index type: car-multihash-index-sorted',
      'Index matches data: yes',
      'Block count: 1049',
      'Min / average / max block length (bytes): 1 / 417 / 1342',
      'Min / average / max CID length (bytes): 14 / 37 / 38',
      '\tdag-cbor: 1043',
      '\traw: 6',
      '\tblake2b-256: 1043',
      '\tidentity: 6',
      'Verification: ok (1049 blocks)',
    ])
      expect(out).toContain(line)
    const json = JSON.parse(petal('inspect', '--json', fixture('v2/sample-wrapped-v2.car')).stdout.toString())
    expect(json).toMatchObject({ version: 2, dataOffset: 51, dataSize: 479907, indexOffset: 479958, blockCount: 1049 })
    expect(json.index).toMatchObject({ codec: 'car-multihash-index-sorted', matchesData: true })
  })

  it('ls lists 1043 bafy and 6 bafk CIDs; --verbose adds codec, offset and size', () => {
    const lines = petal('ls', fixture('v2/sample-v1.car')).stdout.toString().trim().split('\n')
    expect(lines.filter((l) => l.startsWith('bafy'))).toHaveLength(1043)
    expect(lines.filter((l) => l.startsWith('bafk'))).toHaveLength(6)
    const verbose = petal('ls', '-v', fixture('v2/sample-rw-bs-v2.car')).stdout.toString().trim().split('\n')
    expect(verbose[0]).toBe('bafkreifuosuzujyf4i6psbneqtwg2fhplc2wxptc5euspa2gn3bwhnihfu\traw\t142\t4')
  })

  it('verify and root succeed on good files; verify fails with a code on a tampered one', () => {
    expect(petal('verify', fixture('v2/sample-v1.car'))).toMatchObject({ status: 0 })
    expect(petal('root', fixture('v2/sample-v1.car')).stdout.toString()).toBe('bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy\n')
    const bad = Buffer.from(fixtureBytes('v2/sample-rw-bs-v2.car'))
    bad[bad.indexOf('lobster')] ^= 1
    const path = join(tmp.dir, 'bad.car')
    writeFileSync(path, bad)
    const r = petal('verify', path)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^petal: E_CAR_CID_MISMATCH: /)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('index writes go-car’s detached indexes; wrap, detach-index and extract-v1 reproduce the fixtures', () => {
    const idx = join(tmp.dir, 'v1.idx')
    expect(petal('index', fixture('v2/sample-v1.car'), idx).status).toBe(0)
    expect(hex(readFileSync(idx))).toBe(hex(fixtureBytes('v2/sample-multihash-index-sorted.carindex')))
    const idx0400 = join(tmp.dir, 'v1-0400.idx')
    expect(petal('index', fixture('v2/sample-v1.car'), idx0400, '--codec', '0x0400', '--include-identity').status).toBe(0)
    expect(hex(readFileSync(idx0400))).toBe(hex(fixtureBytes('v2/sample-index.carindex')))
    const wrapped = join(tmp.dir, 'wrapped.car')
    expect(petal('wrap', fixture('v2/sample-v1.car'), wrapped).status).toBe(0)
    expect(hex(readFileSync(wrapped))).toBe(hex(fixtureBytes('v2/sample-wrapped-v2.car')))
    const detached = join(tmp.dir, 'detached.idx')
    expect(petal('detach-index', wrapped, detached).status).toBe(0)
    expect(hex(readFileSync(detached))).toBe(hex(readFileSync(idx)))
    const v1 = join(tmp.dir, 'v1.car')
    expect(petal('extract-v1', wrapped, v1).status).toBe(0)
    expect(hex(readFileSync(v1))).toBe(hex(fixtureBytes('v2/sample-v1.car')))
  })

  it('get-block writes the block to stdout or a file; a mangled CID is not found; a bad --codec is a usage error', () => {
    const cid = 'bafy2bzacebohz654namrgmwjjx4qmtwgxixsd7pn4tlanyrc3g3hwj75hlxrw'
    const block = fixtureBytes(`cmd-inputs/${cid}.block`)
    expect(hex(petal('get-block', fixture('v2/sample-v1.car'), cid).stdout)).toBe(hex(block))
    const out = join(tmp.dir, 'block.bin')
    expect(petal('get-block', fixture('v2/sample-wrapped-v2.car'), cid, out).status).toBe(0)
    expect(hex(readFileSync(out))).toBe(hex(block))
    const missing = petal('get-block', fixture('v2/sample-v1.car'), 'bafy2bzacebohz654namrgmwjjx4qmtwgxixsd7pn4tlanyrc3g3hwj75xxxxx')
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/^petal: E_BLOCKSTORE_NOT_FOUND: /)
    const usage = petal('index', fixture('v2/sample-v1.car'), join(tmp.dir, 'x.idx'), '--codec', '0x0500')
    expect(usage.status).not.toBe(0)
    expect(usage.stderr).toContain('E_INVALID_ARGUMENT')
  })

  it('get-dag writes the DAG depth-first; header errors print one coded line', () => {
    const out = join(tmp.dir, 'dag.car')
    const r = petal('get-dag', fixture('v2/sample-unixfs-v2.car'), 'bafybeiakgrehdxxgy5kca72znt6jllrj2sqkehtqeojfuxlbeuqg3vfkwq', out, '--version', '2')
    expect(r.status).toBe(0)
    expect(readFileSync(out).length).toBe(fixtureBytes('v2/sample-unixfs-v2.car').length)
    const header = petal('inspect', fixture('cmd-inputs/badheaderlength.car'))
    expect(header.status).toBe(1)
    expect(header.stderr).toMatch(/^petal: E_CAR_HEADER_TOO_LARGE: /)
    const section = petal('inspect', fixture('cmd-inputs/badsectionlength.car'))
    expect(section.stderr).toMatch(/^petal: E_CAR_SECTION_TOO_LARGE: /)
  })
})
