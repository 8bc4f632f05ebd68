/**
 * Ref-CARv2 files, as Lotus's client imports: a CARv2 holding a UnixFS DAG's intermediate nodes in full and,
 * for each leaf, a positional-reference block (go-filestore DataObj: path, offset, size) under the reference
 * CID instead of the leaf's bytes — the data stays in the user's file. Identity CIDs are never stored.
 *
 * Writing is one pass: the CAR is opened with a placeholder root of the final root's length (same CID
 * version, codec width and hash) and the real root is written over it after `finalize`. Reading resolves a
 * leaf through its reference, reads the file range and re-hashes it, so a changed or missing file is a
 * typed error and never wrong bytes.
 */
import { closeSync, fstatSync, readSync, renameSync, rmSync } from 'node:fs'
import * as pb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { openReadOnly, openReadWrite, type ReadOnlyBlockstore } from '../blockstore/index.ts'
import type { Block } from '../blockstore/types.ts'
import { IDENTITY } from '../car/constants.ts'
import { CarCidMismatchError, throwIfAborted } from '../car/errors.ts'
import { digestMatches } from '../car/hashing.ts'
import { getCarNative } from '../car/native.ts'
import { replaceRootsInFile } from '../car/replace-roots.ts'
import { FileSystemError, toFileSystemError } from '../errors.ts'
import { openFileSource, readInto, type FileByteSource } from '../car/byte-source.ts'
import { openFile } from '../fs.ts'
import { addToTree, buildDirectories, FileDagBuilder, layoutHash, rawLeafCid, type FileDagSink, type Tree, type UnixfsLayout } from '../unixfs/index.ts'
import { ChunkHasher } from './chunk-hasher.ts'
import { SourceChangedError, SourceMissingError } from './errors.ts'
import { decodeReference, encodeReference, referenceCid } from './filestore-ref.ts'
import type { WalkedFile } from './walk.ts'

/** Files from this size are hashed on two threads. */
const PARALLEL_FROM = 8 << 20

/** What to import: one file, or the files of a directory (from `walkFiles`). */
export type RefCarInput = { kind: 'file'; path: string } | { kind: 'directory'; files: readonly WalkedFile[] }

/** Options of `writeRefCar`. */
export interface WriteRefCarOptions {
  signal?: AbortSignal
  /** Source bytes read so far. */
  onProgress?: (bytes: number) => void
}

/** What `writeRefCar` wrote. */
export interface RefCarResult {
  root: CID
  /** Intermediate nodes stored in full. */
  nodes: number
  /** Leaves stored as references. */
  references: number
  /** Source bytes covered. */
  bytes: number
}

/** Builds the DAG of `input` with `layout` into a new ref-CARv2 at `carPath` (replacing any file there). */
export async function writeRefCar(carPath: string, input: RefCarInput, layout: UnixfsLayout, options: WriteRefCarOptions = {}): Promise<RefCarResult> {
  const placeholder = CID.createV1(pb.code, Digest.create(layout.hash === 'sha2-256' ? 0x12 : 0xb220, new Uint8Array(32)))
  const store = await openReadWrite(carPath, [placeholder], { overwrite: true })
  const result = { nodes: 0, references: 0, bytes: 0 }
  let pending: Block[] = []
  const sink = (path: string): FileDagSink => ({
    leaf(cid, offset, length) {
      if (cid.multihash.code === IDENTITY) return
      pending.push({ cid: referenceCid(cid), bytes: encodeReference({ path, offset, size: length }) })
      result.references++
    },
    branch(cid, bytes) {
      if (cid.multihash.code === IDENTITY) return
      pending.push({ cid, bytes: bytes.slice() })
      result.nodes++
    },
  })
  const flush = async () => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    await store.putMany(batch)
  }
  const buildFile = async (path: string) => {
    const builder = new FileDagBuilder(layout, sink(path))
    // Chunks are read into one reused buffer and hashed here; for large files every other chunk is read and
    // hashed by the worker instead (two jobs kept in flight, only digests come back), so two cores hash.
    // Memory stays flat whatever the file size; the builder keeps no reference to a chunk.
    let size: number
    let fd: number
    try {
      fd = openFile(path, 'r')
      size = fstatSync(fd).size
    } catch (err) {
      throw toFileSystemError(err, path)
    }
    const cs = layout.chunkSize
    const count = Math.ceil(size / cs)
    const lengthOf = (i: number) => Math.min(cs, size - i * cs)
    const parallel = size >= PARALLEL_FROM
    if (parallel) hasher ??= new ChunkHasher(layoutHash(layout).algorithm, getCarNative()?.library)
    const jobs = new Map<number, Promise<Uint8Array>>()
    const submit = (i: number) => {
      if (!parallel || i >= count || i % 2 === 0 || jobs.has(i) || lengthOf(i) <= layout.inlineLimit) return
      const job = hasher!.hashRange(path, i * cs, lengthOf(i))
      job.catch(() => {}) // awaited in order below; an error after an earlier failure is not "unhandled"
      jobs.set(i, job)
    }
    const buf = new Uint8Array(cs)
    try {
      for (let i = 0; i < count; i++) {
        throwIfAborted(options.signal)
        submit(i + 1)
        submit(i + 3)
        const length = lengthOf(i)
        const job = jobs.get(i)
        if (job) {
          jobs.delete(i)
          builder.writeLeaf(rawLeafCid(layout, await job), length)
        } else {
          let n = 0
          try {
            while (n < length) {
              const got = readSync(fd, buf, n, length - n, i * cs + n)
              if (got === 0) break
              n += got
            }
          } catch (err) {
            throw toFileSystemError(err, path)
          }
          if (n < length) throw new SourceChangedError(path, i * cs + n)
          builder.write(buf.subarray(0, length))
        }
        result.bytes += length
        options.onProgress?.(result.bytes)
        await flush()
      }
    } finally {
      closeSync(fd)
    }
    const link = builder.close()
    await flush()
    return link
  }
  let hasher: ChunkHasher | undefined
  let root: CID
  try {
    if (input.kind === 'file') root = (await buildFile(input.path)).cid
    else {
      const tree: Tree = new Map()
      for (const f of input.files) {
        throwIfAborted(options.signal)
        addToTree(tree, f.name.split('/'), await buildFile(f.path))
      }
      const dirSink = sink('')
      root = (await buildDirectories(tree, layout, { branch: dirSink.branch })).cid
      await flush()
    }
    await store.finalize()
  } finally {
    await hasher?.close()
    await store.close()
  }
  const placeholderLength = placeholder.bytes.length
  if (!root.equals(placeholder)) {
    // The header is rewritten in place when the root has the placeholder's length. Only an inlined (identity)
    // root differs (e.g. a two-leaf file in the lotus layout): then the few stored blocks are copied.
    if (root.bytes.length === placeholderLength) await replaceRootsInFile(carPath, [root])
    else await rewriteWithRoot(carPath, root)
  }
  return { root, ...result }
}

async function rewriteWithRoot(carPath: string, root: CID): Promise<void> {
  const tmp = `${carPath}.root-${process.pid}`
  // Trusted: reference blocks hash their key, not their bytes, and are copied as they are.
  const from = await openReadOnly(carPath, { trusted: true })
  try {
    const to = await openReadWrite(tmp, [root], { overwrite: true })
    try {
      for await (const cid of from.cids()) await to.put(cid, await from.get(cid))
      await to.finalize()
    } finally {
      await to.close()
    }
  } finally {
    await from.close()
  }
  renameSync(tmp, carPath)
}

/** Reads a ref-CARv2 (or any CAR) as a DAG: stored blocks as they are, leaves through their references. */
export class RefCarReader {
  private constructor(readonly store: ReadOnlyBlockstore) {}

  /**
   * Opens the ref-CARv2 at `carPath` (its index is checked before use). The store is opened trusted because
   * a reference block's CID hashes its key, not its bytes (Lotus's layout); `get` checks every other block.
   */
  static async open(carPath: string, options: { indexPath?: string } = {}): Promise<RefCarReader> {
    return new RefCarReader(await openReadOnly(carPath, { trusted: true, ...(options.indexPath ? { indexPath: options.indexPath } : {}) }))
  }

  async roots(): Promise<CID[]> {
    return this.store.roots()
  }

  async has(cid: CID): Promise<boolean> {
    if (cid.multihash.code === IDENTITY) return true
    return (await this.store.has(cid)) || (await this.store.has(referenceCid(cid)))
  }

  /** The block's bytes; undefined when the import does not hold it. A leaf is read from its file and re-hashed. */
  async get(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array | undefined> {
    throwIfAborted(options.signal)
    if (cid.multihash.code === IDENTITY) return cid.multihash.digest
    if (await this.store.has(cid)) {
      const stored = await this.store.get(cid)
      if (!digestMatches(cid.multihash.code, cid.multihash.digest, 0, cid.multihash.digest.length, stored)) throw new CarCidMismatchError(cid.toString(), undefined)
      return stored
    }
    const ref = referenceCid(cid)
    if (!(await this.store.has(ref))) return undefined
    const { path, offset, size } = decodeReference(await this.store.get(ref))
    const bytes = await readRange(path, offset, size)
    if (bytes.length !== size || !digestMatches(cid.multihash.code, cid.multihash.digest, 0, cid.multihash.digest.length, bytes)) {
      throw new SourceChangedError(path, offset)
    }
    return bytes
  }

  async close(): Promise<void> {
    await this.store.close()
  }
}

async function readRange(path: string, offset: number, size: number): Promise<Uint8Array> {
  let source: FileByteSource
  try {
    source = openFileSource(path)
  } catch (err) {
    if (err instanceof FileSystemError && err.code === 'E_FILE_NOT_FOUND') throw new SourceMissingError(path, { cause: err })
    throw err
  }
  try {
    const out = new Uint8Array(size)
    const n = await readInto(source, out, offset)
    return n === size ? out : out.subarray(0, n)
  } catch (err) {
    throw toFileSystemError(err, path)
  } finally {
    source.close()
  }
}

/** Removes a ref-CAR and anything left beside it by an interrupted write. */
export function removeRefCar(carPath: string): void {
  rmSync(carPath, { force: true })
}
