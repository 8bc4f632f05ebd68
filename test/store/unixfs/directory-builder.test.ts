import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { walkFiles } from '../../../src/store/imports/walk.ts'
import { addToTree, buildDirectories, FileDagBuilder, IPFS_CAR_LAYOUT, LOTUS_LAYOUT, type Tree, type UnixfsLayout } from '../../../src/store/unixfs/index.ts'

const IPFS_CAR_BIN = fileURLToPath(new URL('../../../node_modules/ipfs-car/bin.js', import.meta.url))

/** Root CID printed by the real `ipfs-car pack <dir> --output x.car` (run with Node). */
function ipfsCarPack(cwd: string, dir: string): string {
  return execFileSync('node', [IPFS_CAR_BIN, 'pack', dir, '--output', join(cwd, `${dir}.car`)], { cwd, encoding: 'utf8' }).trim()
}

async function importDir(path: string, layout: UnixfsLayout = IPFS_CAR_LAYOUT) {
  const tree: Tree = new Map()
  for (const f of await walkFiles(path)) {
    const b = new FileDagBuilder(layout)
    const data = readFileSync(f.path)
    for (let o = 0; o < data.length; o += layout.chunkSize) b.write(data.subarray(o, o + layout.chunkSize))
    addToTree(tree, f.name.split('/'), b.close())
  }
  const blocks: string[] = []
  const root = await buildDirectories(tree, layout, { branch: (cid) => blocks.push(cid.toString()) })
  return { root: root.cid.toString(), blocks }
}

describe('directory imports', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'petal-dir-'))
    const tree = join(dir, 'tree')
    mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true })
    mkdirSync(join(tree, '.git'))
    mkdirSync(join(tree, 'empty'))
    writeFileSync(join(tree, 'a.txt'), 'a\n')
    writeFileSync(join(tree, 'sub', 'b.txt'), 'bb\n')
    writeFileSync(join(tree, 'sub', 'deeper', 'big.bin'), Buffer.alloc(3 * (1 << 20) + 17, 9))
    writeFileSync(join(tree, '.hidden'), 'h')
    writeFileSync(join(tree, '.git', 'x'), 'x')
    symlinkSync('a.txt', join(tree, 'link.txt'))
    const wide = join(dir, 'wide')
    mkdirSync(wide)
    for (let i = 0; i < 1200; i++) writeFileSync(join(wide, `f${i}.txt`), `${i}\n`)
    const only = join(dir, 'only')
    mkdirSync(join(only, 'nested', 'inner'), { recursive: true })
    writeFileSync(join(only, 'nested', 'inner', 'one.txt'), '1')
    writeFileSync(join(only, 'nested', 'inner', 'two.txt'), '2')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it("lists files the way ipfs-car does: no hidden names, no symlinks, no empty folders, sorted", async () => {
    expect((await walkFiles(join(dir, 'tree'))).map((f) => f.name)).toEqual(['a.txt', 'sub/b.txt', 'sub/deeper/big.bin'])
    expect((await walkFiles(join(dir, 'tree'), { hidden: true })).map((f) => f.name)).toEqual(['.git/x', '.hidden', 'a.txt', 'sub/b.txt', 'sub/deeper/big.bin'])
  })

  it("gives ipfs-car pack's root CID for a nested tree", async () => {
    expect((await importDir(join(dir, 'tree'))).root).toBe(ipfsCarPack(dir, 'tree'))
  })

  it("gives ipfs-car pack's root CID for a HAMT-sharded directory of 1200 entries", async () => {
    const { root, blocks } = await importDir(join(dir, 'wide'))
    expect(root).toBe(ipfsCarPack(dir, 'wide'))
    expect(blocks.length).toBeGreaterThan(1) // shard nodes, not one flat node
  })

  it('names files relative to the deepest common folder, as ipfs-car does', async () => {
    expect((await walkFiles(join(dir, 'only'))).map((f) => f.name)).toEqual(['one.txt', 'two.txt'])
    expect((await importDir(join(dir, 'only'))).root).toBe(ipfsCarPack(dir, 'only'))
  })

  it('builds lotus-layout directories with blake2b-256 CIDs', async () => {
    const { root } = await importDir(join(dir, 'tree'), LOTUS_LAYOUT)
    expect(root).toMatch(/^bafykbzace/) // CIDv1, dag-pb, blake2b-256
  })
})
