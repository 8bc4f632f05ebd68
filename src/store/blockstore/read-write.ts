/**
 * The ReadWrite blockstore: builds a CARv2 on disk as blocks arrive. Each `put` is written through at once
 * (one positional write), blocks can be read back while writing goes on, and `finalize` writes the index
 * and then — last, so a crash never leaves a header over a half-written index — the CARv2 header. Opening
 * an existing file resumes it (see ./resume.ts).
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync } from 'node:fs'
import type { CID } from 'multiformats/cid'
import { fileSource, type FileByteSource } from '../car/byte-source.ts'
import { CarIndex } from '../car/car-index.ts'
import {
  DEFAULT_MAX_SECTION_SIZE,
  IDENTITY,
  MAX_CID_SIZE,
  MULTIHASH_INDEX_SORTED,
  PRAGMA,
  SECTION_SIZE_CEILING,
  V2_PREFIX_SIZE,
} from '../car/constants.ts'
import { CarCidTooLargeError, CarSectionTooLargeError, throwIfAborted } from '../car/errors.ts'
import { encodeV1Header, encodeV2Header } from '../car/header.ts'
import { encodeIndex } from '../car/index-codec.ts'
import { getCarNative, type CarNative } from '../car/native.ts'
import type { CarLayout, IndexCodec } from '../car/types.ts'
import { BlockReader, type BlockReaderOptions } from './block-reader.ts'
import { iterateCids } from './cid-iterator.ts'
import { BlockstoreClosedError, BlockstoreFailedError, BlockstoreFinalizedError } from './errors.ts'
import { NativePutBatch } from './native-batch.ts'
import { isTornCreation, resumeFile, type ResumeState } from './resume.ts'
import { SectionWriter, writeAll } from './section-writer.ts'
import type { AbortOptions, Block, Blockstore } from './types.ts'
import { toFileSystemError } from '../errors.ts'
import { createReplacing, openFile } from '../fs.ts'

/** Options of the ReadWrite store. */
export interface ReadWriteOptions extends BlockReaderOptions {
  /** Zero bytes between the CARv2 header and the payload (go-car's UseDataPadding). */
  dataPadding?: number
  /** Zero bytes between the payload and the index (go-car's UseIndexPadding). */
  indexPadding?: number
  /** Index codec written by `finalize` (default 0x0401). */
  indexCodec?: IndexCodec
  /** Write a block again even when its multihash (or whole CID) is already stored (default false). */
  allowDuplicatePuts?: boolean
  /** fdatasync before and after writing the header in `finalize` (default false). */
  sync?: boolean
  /** On resumption, hash-check every stored block; the first bad one starts the torn tail (default false). */
  verifyOnResume?: boolean
  /** Start over even when the file exists (default false: resume it). */
  overwrite?: boolean
}

/** What resumption found when the store was opened on an existing file. */
export type ResumeInfo = Omit<ResumeState, 'index' | 'dataOffset' | 'end'>

const PREFETCH = 16

/** A read-write CARv2 blockstore. */
export class ReadWriteBlockstore implements Blockstore {
  #fd: number
  #closed = false
  #finalized = false
  #failed: unknown = undefined
  readonly #out: SectionWriter
  readonly #hashes = new Int32Array(PREFETCH)
  readonly #index: CarIndex
  readonly #reader: BlockReader
  readonly #source: FileByteSource
  readonly #maxSection: number

  private constructor(
    fd: number,
    readonly path: string,
    readonly rootCids: readonly CID[],
    readonly dataOffset: number,
    end: number,
    index: CarIndex,
    readonly options: ReadWriteOptions,
    /** Present when an existing file was resumed. */
    readonly resumed: ResumeInfo | undefined,
  ) {
    this.#fd = fd
    this.#out = new SectionWriter(fd, end)
    this.#index = index
    this.#maxSection = Math.min(options.maxSectionSize ?? DEFAULT_MAX_SECTION_SIZE, SECTION_SIZE_CEILING)
    this.#source = fileSource(fd, path, () => this.#out.flushed)
    this.#reader = new BlockReader(this.#source, dataOffset, () => this.#out.flushed, index, options)
  }

  /** Creates the CARv2 at `path` with `roots`, or resumes it if it exists and is not empty. */
  static async open(path: string, roots: readonly CID[], options: ReadWriteOptions = {}): Promise<ReadWriteBlockstore> {
    const padding = options.dataPadding ?? 0
    const dataOffset = V2_PREFIX_SIZE + padding
    const header = encodeV1Header(roots)
    const fresh = new Uint8Array(dataOffset + header.length)
    fresh.set(PRAGMA)
    fresh.set(header, dataOffset)
    const rw = openForUpdate(path, options.overwrite === true)
    try {
      const size = fstatSync(rw).size
      if (size > 0 && !isTornCreation(rw, fresh)) {
        const state = await resumeFile(rw, path, {
          roots,
          dataPadding: padding,
          storeIdentityCids: options.storeIdentityCids === true,
          verify: options.verifyOnResume,
          maxSectionSize: options.maxSectionSize,
          maxHeaderSize: options.maxHeaderSize,
          hashers: options.hashers,
          trusted: options.trusted,
          signal: options.signal,
        })
        const { index, dataOffset: at, end, ...info } = state
        return new ReadWriteBlockstore(rw, path, roots, at, end, index, options, info)
      }
      // Only a non-empty file is truncated: on ext4 truncating to zero marks the file for writeback at close
      // (its safe-replace heuristic), and closing a freshly written gigabyte then takes a second.
      if (size > 0) ftruncateSync(rw, 0)
      writeAll(rw, fresh, 0)
      return new ReadWriteBlockstore(rw, path, roots, dataOffset, fresh.length, new CarIndex('multihash'), options, undefined)
    } catch (err) {
      closeSync(rw)
      throw err
    }
  }

  /** Number of index entries (blocks stored, identity blocks only when stored). */
  get blockCount(): number {
    return this.#index.count
  }

  /** Bytes of payload written so far (header included). */
  get dataSize(): number {
    return this.#out.end - this.dataOffset
  }

  /** The in-memory index (payload offsets and sizes), for export to another index store. */
  get index(): CarIndex {
    return this.#index
  }

  /** Whether `finalize` has run. */
  get finalized(): boolean {
    return this.#finalized
  }

  async has(cid: CID, options?: AbortOptions): Promise<boolean> {
    this.#checkOpen(options)
    // Only whole-CID matching reads the file; a multihash lookup leaves a putMany batch alone.
    if (this.options.wholeCids === true) this.#flush()
    return this.#reader.has(cid)
  }

  async get(cid: CID, options?: AbortOptions): Promise<Uint8Array> {
    this.#checkOpen(options)
    this.#flush()
    return this.#reader.get(cid)
  }

  async getSize(cid: CID, options?: AbortOptions): Promise<number> {
    this.#checkOpen(options)
    this.#flush()
    return this.#reader.getSize(cid)
  }

  async put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void> {
    this.#checkWritable(options)
    const pending = this.#putOne(cid, bytes, false)
    if (pending !== undefined) await pending
  }

  async putMany(blocks: AsyncIterable<Block> | Iterable<Block>, options?: AbortOptions): Promise<void> {
    this.#checkWritable(options)
    try {
      // An array or other synchronous iterable is written without a promise per block.
      const native = getCarNative()
      if (Array.isArray(blocks) && native !== null && this.options.allowDuplicatePuts !== true && this.options.wholeCids !== true) {
        this.#putManyNative(blocks, native, options)
      } else if (Array.isArray(blocks)) {
        // Room for all of them up front: no regrowing or rehashing of the index on the way.
        this.#index.reserve(blocks.length)
        // Sixteen at a time: their keys hashed and their hash-table slots read together first, so the cache
        // misses of the dedupe probes overlap instead of coming one per block.
        const hashes = this.#hashes
        for (let i = 0; i < blocks.length; i += PREFETCH) {
          const n = Math.min(PREFETCH, blocks.length - i)
          let hashed = 0
          for (; hashed < n; hashed++) {
            // A malformed block stops the look-ahead: it fails in its turn, after the blocks before it.
            const mh = blocks[i + hashed]?.cid?.multihash?.bytes
            if (!(mh instanceof Uint8Array)) break
            hashes[hashed] = CarIndex.hashOf(mh)
          }
          this.#index.touch(hashes, hashed)
          for (let k = 0; k < n; k++) {
            this.#checkWritable(options)
            const pending = this.#putOne(blocks[i + k].cid, blocks[i + k].bytes, true, k < hashed ? hashes[k] : undefined)
            if (pending !== undefined) await pending
          }
        }
      } else if (Symbol.iterator in blocks) {
        for (const { cid, bytes } of blocks) {
          this.#checkWritable(options)
          const pending = this.#putOne(cid, bytes, true)
          if (pending !== undefined) await pending
        }
      } else {
        for await (const { cid, bytes } of blocks) {
          this.#checkWritable(options)
          const pending = this.#putOne(cid, bytes, true)
          if (pending !== undefined) await pending
        }
      }
    } finally {
      if (this.#failed === undefined && !this.#closed) this.#flush()
    }
  }

  // putMany of an array with the native kernels: dedupe, index and write a batch at a time (./native-batch.ts).
  #putManyNative(blocks: Block[], native: CarNative, options: AbortOptions | undefined): void {
    const batch = new NativePutBatch(native, this.#index, this.#out, this.dataOffset, (b) => this.#putOne(b.cid, b.bytes, true))
    const flush = () => {
      try {
        batch.flush()
      } catch (err) {
        if (err instanceof BlockstoreFailedError) throw err
        this.#fail(err)
      }
    }
    try {
      for (const block of blocks) {
        this.#checkWritable(options)
        if (!this.#admissible(block.cid, block.bytes)) continue
        if (batch.add(block)) continue
        flush()
        if (batch.add(block)) continue
        this.#putOne(block.cid, block.bytes, true)
      }
    } finally {
      // The blocks before a failing one are stored, as on the TypeScript path.
      if (this.#failed === undefined && !this.#closed) flush()
    }
  }

  // A put, batched or written through: synchronous unless whole-CID dedupe has to read stored CIDs.
  #putOne(cid: CID, bytes: Uint8Array, batched: boolean, knownHash?: number): Promise<void> | undefined {
    if (!this.#admissible(cid, bytes)) return
    const mh = cid.multihash.bytes
    const hash = knownHash ?? CarIndex.hashOf(mh)
    if (this.options.allowDuplicatePuts === true) {
      this.#addAndAppend(cid, bytes, batched, hash)
    } else if (this.options.wholeCids !== true) {
      // Multihash dedupe in one probe: the entry goes in first (it is only reachable once written, and a
      // failed write fails the whole store), the section is written when the entry was new.
      const id = this.#index.addIfAbsent(mh, 0, mh.length, this.#out.end - this.dataOffset, bytes.length, hash)
      if (id !== -1) this.#append(cid, bytes, batched)
    } else if (this.#index.find(mh, 0, mh.length, hash) === -1) {
      this.#addAndAppend(cid, bytes, batched, hash)
    } else {
      return this.#absentWholeCid(cid).then((absent) => {
        if (absent) this.#addAndAppend(cid, bytes, batched, hash)
      })
    }
  }

  async *cids(options?: AbortOptions): AsyncGenerator<CID> {
    this.#checkOpen(options)
    this.#flush()
    yield* iterateCids(this.#source, this.#layout(), { maxSectionSize: this.#maxSection, signal: options?.signal })
  }

  async roots(options?: AbortOptions): Promise<CID[]> {
    this.#checkOpen(options)
    return [...this.rootCids]
  }

  /**
   * Writes the index and the CARv2 header. The store stays open for reads; reopening the file with
   * `openReadWrite` un-finalizes it and appends again.
   */
  async finalize(options?: AbortOptions): Promise<void> {
    this.#checkWritable(options)
    try {
      this.#flush()
      const dataSize = this.#out.end - this.dataOffset
      const padding = this.options.indexPadding ?? 0
      const indexOffset = this.#out.end + padding
      const indexBytes = encodeIndex(this.#index, this.options.indexCodec ?? MULTIHASH_INDEX_SORTED)
      if (padding > 0) writeAll(this.#fd, new Uint8Array(padding), this.#out.end)
      writeAll(this.#fd, indexBytes, indexOffset)
      ftruncateSync(this.#fd, indexOffset + indexBytes.length)
      if (this.options.sync === true) fdatasyncSync(this.#fd)
      const header = encodeV2Header({ fullyIndexed: this.options.storeIdentityCids === true, dataOffset: this.dataOffset, dataSize, indexOffset })
      writeAll(this.#fd, header, PRAGMA.length)
      if (this.options.sync === true) fdatasyncSync(this.#fd)
      this.#finalized = true
    } catch (err) {
      this.#failed = err
      throw new BlockstoreFailedError({ cause: err })
    }
  }

  /** Closes the file. An unfinalized file stays resumable. */
  async close(): Promise<void> {
    if (this.#closed) return
    try {
      if (this.#failed === undefined) this.#flush()
    } finally {
      this.#closed = true
      closeSync(this.#fd)
    }
  }

  #layout(): CarLayout {
    return { version: 2, roots: [...this.rootCids], dataOffset: this.dataOffset, dataSize: this.#out.flushed - this.dataOffset, headerLength: encodeV1Header(this.rootCids).length }
  }

  #checkOpen(options: AbortOptions | undefined): void {
    if (this.#closed) throw new BlockstoreClosedError()
    if (this.#failed !== undefined) throw new BlockstoreFailedError({ cause: this.#failed })
    throwIfAborted(options?.signal)
  }

  #checkWritable(options: AbortOptions | undefined): void {
    this.#checkOpen(options)
    if (this.#finalized) throw new BlockstoreFinalizedError()
  }

  #addAndAppend(cid: CID, bytes: Uint8Array, batched: boolean, hash: number): void {
    const mh = cid.multihash.bytes
    this.#index.add(mh, 0, mh.length, this.#out.end - this.dataOffset, bytes.length, hash)
    this.#append(cid, bytes, batched)
  }

  /** False for a block that is never stored (identity CIDs, unless asked); throws for one that cannot be. */
  #admissible(cid: CID, bytes: Uint8Array): boolean {
    if (cid.multihash.code === IDENTITY && this.options.storeIdentityCids !== true) return false
    if (cid.bytes.length > MAX_CID_SIZE) throw new CarCidTooLargeError(cid.bytes.length, MAX_CID_SIZE)
    const len = cid.bytes.length + bytes.length
    if (len > this.#maxSection) throw new CarSectionTooLargeError(this.#out.end - this.dataOffset, len, this.#maxSection)
    return true
  }

  /** Whole-CID dedupe: reads the stored CIDs with this multihash; re-checks if a put raced in meanwhile. */
  async #absentWholeCid(cid: CID): Promise<boolean> {
    for (;;) {
      const before = this.#index.count
      this.#flush()
      if (await this.#reader.has(cid)) return false
      if (this.#index.count === before) return true
    }
  }

  /** Appends the section of a block already in the index: batched (putMany) or written at once (put). */
  #append(cid: CID, bytes: Uint8Array, batched: boolean): void {
    try {
      this.#out.append(cid.bytes, bytes, batched)
    } catch (err) {
      this.#fail(err)
    }
  }

  /** Writes what putMany batched, so reads see it. */
  #flush(): void {
    try {
      this.#out.flush()
    } catch (err) {
      this.#fail(err)
    }
  }

  /** A failed write fails the store: every later call reports it. */
  #fail(err: unknown): never {
    this.#failed = err
    throw new BlockstoreFailedError({ cause: err })
  }
}

/** Opens `path` for positional reads and writes, creating it if needed (or emptying it with `truncate`). */
function openForUpdate(path: string, truncate: boolean): number {
  if (truncate) return createReplacing(path, 'w+')
  try {
    return openSync(path, 'r+')
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw toFileSystemError(err, path)
    return openFile(path, 'wx+', 0o644)
  }
}

/** Opens (creating or resuming) a ReadWrite CARv2 store at `path` with `roots`. */
export function openReadWrite(path: string, roots: readonly CID[], options: ReadWriteOptions = {}): Promise<ReadWriteBlockstore> {
  return ReadWriteBlockstore.open(path, roots, options)
}
