import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cleanup, cli, startNode, stopNode, tempDir } from './harness.ts'

describe('client imports in the single binary', () => {
  it('imports over RPC with Lotus shapes, exports, drops, and the next start logs the sanity check', async () => {
    const dir = tempDir()
    try {
      const repo = join(dir, 'repo')
      expect(cli(['init', '--repo', repo]).code).toBe(0)
      const file = join(dir, 'data.bin')
      writeFileSync(file, Uint8Array.from({ length: 1_500_000 }, (_, i) => (i * 7) % 256))
      let node = await startNode(repo)
      const imported = (await node.rpc('Filecoin.ClientImport', [{ Path: file, IsCAR: false }])).result
      expect(imported).toEqual({ Root: { '/': expect.stringMatching(/^bafy/) }, ImportID: 1 })
      const list = (await node.rpc('Filecoin.ClientListImports')).result
      expect(list).toEqual([expect.objectContaining({ Key: 1, Err: '', Root: imported.Root, Source: 'import', FilePath: file, CARPath: join(repo, 'imports', '1.car') })])
      expect((await node.rpc('Filecoin.ClientHasLocal', [imported.Root])).result).toBe(true)
      const out = join(dir, 'out.bin')
      expect((await node.rpc('Filecoin.ClientExport', [{ Root: imported.Root }, { Path: out, IsCAR: false }])).result).toBeNull()
      expect(readFileSync(out).equals(readFileSync(file))).toBe(true)
      const missing = await node.rpc('Filecoin.ClientRemoveImport', [42])
      expect(missing.error.data.code).toBe('E_IMPORT_NOT_FOUND')
      // Through the CLI while the node runs (same database).
      const second = JSON.parse(cli(['client', 'import', file, '--json', '--repo', repo]).stdout)
      expect(second.root).toBe(imported.Root['/'])
      expect(await stopNode(node)).toBe(0)
      rmSync(join(repo, 'imports', `${second.id}.car`))
      node = await startNode(repo)
      await node.rpc('Filecoin.Version')
      await new Promise((r) => setTimeout(r, 200))
      expect(node.stderr()).toContain('import has missing/broken carv2; please reimport')
      expect(node.stderr()).toMatch(/sanity check completed.*"broken":1,"total":2/)
      expect((await node.rpc('Filecoin.ClientRemoveImport', [1])).result).toBeNull()
      expect(existsSync(join(repo, 'imports', '1.car'))).toBe(false)
      expect(cli(['client', 'local', '--repo', repo]).stdout).toContain(`${second.id}: ${second.root}`)
      expect(await stopNode(node)).toBe(0)
    } finally {
      cleanup(dir)
    }
  })
})
