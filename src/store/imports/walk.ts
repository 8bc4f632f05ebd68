/**
 * Lists the files of a directory import exactly as ipfs-car (files-from-path) does, so root CIDs match:
 * regular files only (symlinks and special files inside the tree are skipped, empty directories vanish),
 * names starting with "." skipped unless `hidden`, names relative to the deepest folder common to all files,
 * sorted by name.
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'

/** One file to import. */
export interface WalkedFile {
  /** Absolute path on disk. */
  path: string
  /** Path inside the import, '/'-separated. */
  name: string
  size: number
}

/** Walks `root` (a directory). */
export async function walkFiles(root: string, options: { hidden?: boolean } = {}): Promise<WalkedFile[]> {
  const hidden = options.hidden ?? false
  const keep = (name: string) => hidden || !name.startsWith('.')
  const abs = resolve(root)
  const files: Array<{ path: string; size: number }> = []
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!keep(entry.name)) continue
      const path = join(dir, entry.name)
      if (entry.isFile()) files.push({ path, size: (await stat(path)).size })
      else if (entry.isDirectory()) await visit(path)
    }
  }
  if (keep(basename(abs))) {
    const s = await stat(abs)
    if (s.isFile()) files.push({ path: abs, size: s.size })
    else if (s.isDirectory()) await visit(abs)
  }
  let common: string[] | undefined
  for (const f of files) {
    const parts = dirname(f.path).split(sep)
    if (common === undefined) common = parts
    else {
      let i = 0
      while (i < common.length && common[i] === parts[i]) i++
      common = common.slice(0, i)
    }
  }
  const base = (common ?? []).join(sep) || sep
  return files
    .map((f) => ({ path: f.path, name: relative(base, f.path).split(sep).join('/'), size: f.size }))
    .sort((a, b) => (a.name === b.name ? 0 : a.name > b.name ? 1 : -1))
}
