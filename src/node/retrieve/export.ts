/**
 * Exporting a finished retrieval: a CARv1 of the DAG under the path's end (DFS order, each block once, so
 * `ipfs-car unpack` and go-car read it), or the UnixFS file bytes / directory tree themselves. Output goes to
 * a temporary name beside the target and is moved into place only when complete; an existing target is
 * never overwritten.
 */
import { closeSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, symlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { CID } from 'multiformats/cid'
import { writeCarFile } from '../../store/car/write.ts'
import { DAG_PB, decodePbNode, IDENTITY, RAW, type PbNode } from '../../store/dag/codecs.ts'
import { hamtShape, isShardLink } from '../../store/dag/hamt.ts'
import type { BlockGetter } from '../../store/dag/types.ts'
import { isFileNode, UnixfsType } from '../../store/dag/unixfs-data.ts'
import { traverseDag } from '../../store/dag/walk.ts'
import { DagBlockNotFoundError } from '../../store/dag/errors.ts'
import { toFileSystemError } from '../../store/errors.ts'
import { openFile } from '../../store/fs.ts'
import { RetrieveNotUnixfsError, RetrieveOutputExistsError, RetrieveUnsafeNameError } from './errors.ts'
import type { ExportTarget } from './types.ts'

/** Options of an export. */
export interface ExportOptions {
  signal?: AbortSignal
}

/** What an export wrote. */
export interface ExportResult {
  path: string
  car: boolean
  /** Bytes written: the CAR's size, or the file data written out. */
  bytes: number
}

/** A temporary path beside `target`, so the final rename stays on one file system. */
function partialPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.partial-${process.pid}`)
}

/** Writes the blocks of `root`'s whole DAG from `blocks` to `target` as a CARv1 with `root` as its only root. */
export async function exportCar(blocks: BlockGetter, root: CID, target: string, options: ExportOptions = {}): Promise<ExportResult> {
  if (existsSync(target)) throw new RetrieveOutputExistsError(target)
  const tmp = partialPath(target)
  let bytes = 0
  try {
    const walk = traverseDag(blocks, { root, scope: 'all', dups: false }, { signal: options.signal })
    const counted = (async function* () {
      for await (const b of walk) {
        bytes += b.bytes.length
        yield b
      }
    })()
    await writeCarFile(tmp, [root], counted, { version: 1, signal: options.signal })
    moveNoReplace(tmp, target)
  } finally {
    rmSync(tmp, { force: true })
  }
  return { path: target, car: true, bytes }
}

/** Writes the UnixFS entity `root` (a file, a directory, a HAMT directory or a symlink) to `target`. */
export async function exportUnixfs(blocks: BlockGetter, root: CID, target: string, options: ExportOptions = {}): Promise<ExportResult> {
  if (existsSync(target)) throw new RetrieveOutputExistsError(target)
  const tmp = partialPath(target)
  const written = { bytes: 0 }
  try {
    await writeEntry(blocks, root, tmp, written, options.signal)
    if (existsSync(target)) throw new RetrieveOutputExistsError(target)
    renameSync(tmp, target)
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    throw err
  }
  return { path: target, car: false, bytes: written.bytes }
}

/** Exports to `target` as a CAR or as files. */
export function exportEntity(blocks: BlockGetter, root: CID, target: ExportTarget, options: ExportOptions = {}): Promise<ExportResult> {
  return target.car ? exportCar(blocks, root, target.path, options) : exportUnixfs(blocks, root, target.path, options)
}

/** Moves a file into place without replacing one that appeared meanwhile (link, then unlink). */
function moveNoReplace(from: string, to: string): void {
  try {
    linkSync(from, to)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new RetrieveOutputExistsError(to)
    throw toFileSystemError(err, to)
  }
}

async function load(blocks: BlockGetter, cid: CID): Promise<Uint8Array> {
  if (cid.multihash.code === IDENTITY) return cid.multihash.digest
  const bytes = await blocks.get(cid)
  if (bytes === undefined) throw new DagBlockNotFoundError(cid)
  return bytes
}

function unixfsNode(cid: CID, bytes: Uint8Array): PbNode {
  if (cid.code !== DAG_PB) throw new RetrieveNotUnixfsError(cid.toString(), `its codec 0x${cid.code.toString(16)} is neither dag-pb nor raw`)
  const node = decodePbNode(cid, bytes)
  if (node.unixfs === undefined) throw new RetrieveNotUnixfsError(cid.toString(), 'the dag-pb node carries no UnixFS data')
  return node
}

function safeName(name: string | undefined, dir: CID): string {
  const n = name ?? ''
  if (n === '' || n === '.' || n === '..' || n.includes('/') || n.includes('\0')) throw new RetrieveUnsafeNameError(n, dir.toString())
  return n
}

async function writeEntry(blocks: BlockGetter, cid: CID, path: string, written: { bytes: number }, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted()
  const bytes = await load(blocks, cid)
  if (cid.code === RAW) return writeFile(path, fileData(blocks, cid, bytes, signal), written)
  const node = unixfsNode(cid, bytes)
  const fs = node.unixfs!
  if (isFileNode(fs)) return writeFile(path, fileData(blocks, cid, bytes, signal), written)
  switch (fs.type) {
    case UnixfsType.Directory:
      makeDir(path)
      for (const link of node.links) await writeEntry(blocks, link.cid, join(path, safeName(link.name, cid)), written, signal)
      return
    case UnixfsType.HAMTShard:
      makeDir(path)
      for await (const entry of hamtEntries(blocks, cid, node)) await writeEntry(blocks, entry.cid, join(path, safeName(entry.name, cid)), written, signal)
      return
    case UnixfsType.Symlink:
      try {
        symlinkSync(new TextDecoder().decode(fs.data ?? new Uint8Array(0)), path)
      } catch (err) {
        throw toFileSystemError(err, path)
      }
      return
    default:
      throw new RetrieveNotUnixfsError(cid.toString(), `UnixFS type ${fs.type} is not a file, directory or symlink`)
  }
}

function makeDir(path: string): void {
  try {
    mkdirSync(path)
  } catch (err) {
    throw toFileSystemError(err, path)
  }
}

/** The entries of a HAMT-sharded directory in link order, descending into sub-shards. */
async function* hamtEntries(blocks: BlockGetter, cid: CID, node: PbNode): AsyncGenerator<{ name: string; cid: CID }> {
  const shape = hamtShape(cid, node)
  for (const link of node.links) {
    if (isShardLink(cid, link, shape)) {
      const sub = decodePbNode(link.cid, await load(blocks, link.cid))
      yield* hamtEntries(blocks, link.cid, sub)
    } else {
      yield { name: link.name!.slice(shape.padLength), cid: link.cid }
    }
  }
}

/** The bytes of a UnixFS file in order: each node's inline data, then its children, depth first. */
async function* fileData(blocks: BlockGetter, root: CID, rootBytes: Uint8Array, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  const stack: CID[] = [root]
  let first = true
  while (stack.length > 0) {
    signal?.throwIfAborted()
    const cid = stack.pop()!
    const bytes = first ? rootBytes : await load(blocks, cid)
    first = false
    if (cid.code === RAW) {
      yield bytes
      continue
    }
    const node = unixfsNode(cid, bytes)
    if (!isFileNode(node.unixfs!)) throw new RetrieveNotUnixfsError(root.toString(), `the file has a child ${cid.toString()} that is not file data`)
    if (node.unixfs!.data !== undefined && node.unixfs!.data.length > 0) yield node.unixfs!.data
    for (let i = node.links.length - 1; i >= 0; i--) stack.push(node.links[i].cid)
  }
}

async function writeFile(path: string, data: AsyncIterable<Uint8Array>, written: { bytes: number }): Promise<void> {
  const fd = openFile(path, 'wx', 0o644)
  try {
    let pos = 0
    for await (const chunk of data) {
      let done = 0
      while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done, pos + done)
      pos += chunk.length
    }
    written.bytes += pos
  } catch (err) {
    throw toFileSystemError(err, path)
  } finally {
    closeSync(fd)
  }
}
