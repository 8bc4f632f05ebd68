/**
 * The ReadOnly blockstore: a CAR (CARv1 or CARv2, or a CAR followed by zero padding as in an unsealed
 * piece) served from any random-access source through an index. The index is the CARv2's own when present
 * and valid, a detached one, an injected lookup (the dagstore's SQLite table), or one built by scanning.
 */
import type { CID } from 'multiformats/cid'
import { openFileSource } from '../car/byte-source.ts'
import { CarIndex } from '../car/car-index.ts'
import { checkIndex, type IndexCheck } from '../car/check-index.ts'
import { throwIfAborted } from '../car/errors.ts'
import { buildIndex } from '../car/generate-index.ts'
import { decodeIndex, readIndex } from '../car/index-codec.ts'
import type { Problem } from '../car/inspect.ts'
import { readCarLayout } from '../car/read-header.ts'
import type { ByteSource, CarLayout, IndexLookup } from '../car/types.ts'
import { StoreError } from '../errors.ts'
import { BlockReader, type BlockReaderOptions } from './block-reader.ts'
import { iterateCids } from './cid-iterator.ts'
import { BlockstoreClosedError, BlockstoreReadOnlyError } from './errors.ts'
import type { AbortOptions, Block, Blockstore } from './types.ts'

/** Where the store's index came from. */
export type IndexOrigin = 'embedded' | 'detached' | 'injected' | 'built'

/** Options of the ReadOnly store. */
export interface ReadOnlyOptions extends BlockReaderOptions {
  /**
   * An index to use instead of the embedded one: index bytes or a CarIndex (checked per `checkIndex`), or
   * any IndexLookup (used as given: its owner vouches for it).
   */
  index?: Uint8Array | CarIndex | IndexLookup
  /** How to check an index from outside (default 'cheap'). */
  checkIndex?: IndexCheck
  /** The layout, when the caller already knows it (skips reading the headers). */
  layout?: CarLayout
  /** Close the source with the store (default true). */
  closeSource?: boolean
}

/** A read-only blockstore over a CAR. */
export class ReadOnlyBlockstore implements Blockstore {
  #closed = false
  readonly #reader: BlockReader

  private constructor(
    readonly source: ByteSource,
    readonly layout: CarLayout,
    /** The lookup in use; a CarIndex unless one was injected. */
    readonly index: IndexLookup,
    readonly indexOrigin: IndexOrigin,
    /** Why the embedded index was not used, when it was rejected. */
    readonly indexProblem: Problem | undefined,
    readonly options: ReadOnlyOptions,
  ) {
    this.#reader = new BlockReader(source, layout.dataOffset, () => layout.dataOffset + layout.dataSize, index, options)
  }

  /** A store over `source`. */
  static async create(source: ByteSource, options: ReadOnlyOptions = {}): Promise<ReadOnlyBlockstore> {
    const layout = options.layout ?? (await readCarLayout(source, options))
    const mode = options.checkIndex ?? 'cheap'
    const scanOptions = { maxSectionSize: options.maxSectionSize, zeroLengthSectionAsEof: options.zeroLengthSectionAsEof, signal: options.signal }
    const build = async () =>
      (await buildIndex(source, layout, { ...scanOptions, includeIdentity: options.storeIdentityCids === true })).index
    const given = options.index
    if (given !== undefined) {
      if (given instanceof Uint8Array || given instanceof CarIndex) {
        const index = given instanceof Uint8Array ? (await decodeIndex(given)).index : given
        await checkIndex(source, layout, index, mode, { signal: options.signal })
        return new ReadOnlyBlockstore(source, layout, index, 'detached', undefined, options)
      }
      return new ReadOnlyBlockstore(source, layout, given, 'injected', undefined, options)
    }
    if (layout.v2 !== undefined && layout.v2.indexOffset !== 0) {
      try {
        const { index } = await readIndex(source, { start: layout.v2.indexOffset, signal: options.signal })
        await checkIndex(source, layout, index, mode, { signal: options.signal })
        return new ReadOnlyBlockstore(source, layout, index, 'embedded', undefined, options)
      } catch (err) {
        if (!(err instanceof StoreError) || err.code === 'E_ABORTED') throw err
        return new ReadOnlyBlockstore(source, layout, await build(), 'built', { code: err.code, message: err.message }, options)
      }
    }
    return new ReadOnlyBlockstore(source, layout, await build(), 'built', undefined, options)
  }

  async has(cid: CID, options?: AbortOptions): Promise<boolean> {
    this.#check(options)
    return this.#reader.has(cid)
  }

  async get(cid: CID, options?: AbortOptions): Promise<Uint8Array> {
    this.#check(options)
    return this.#reader.get(cid)
  }

  async getSize(cid: CID, options?: AbortOptions): Promise<number> {
    this.#check(options)
    return this.#reader.getSize(cid)
  }

  async put(_cid: CID, _bytes: Uint8Array, options?: AbortOptions): Promise<void> {
    this.#check(options)
    throw new BlockstoreReadOnlyError()
  }

  async putMany(_blocks: AsyncIterable<Block> | Iterable<Block>, options?: AbortOptions): Promise<void> {
    this.#check(options)
    throw new BlockstoreReadOnlyError()
  }

  async *cids(options?: AbortOptions): AsyncGenerator<CID> {
    this.#check(options)
    yield* iterateCids(this.source, this.layout, { ...this.options, signal: options?.signal })
  }

  async roots(options?: AbortOptions): Promise<CID[]> {
    this.#check(options)
    return [...this.layout.roots]
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.options.closeSource !== false) await this.source.close?.()
  }

  #check(options: AbortOptions | undefined): void {
    if (this.#closed) throw new BlockstoreClosedError()
    throwIfAborted(options?.signal)
  }
}

/** Options of `openReadOnly`. */
export interface OpenReadOnlyOptions extends ReadOnlyOptions {
  /** A detached index file to use (for a CARv1, or instead of the embedded index). */
  indexPath?: string
}

/** Opens the CAR at `path` (and its detached index, if given) as a ReadOnly store. */
export async function openReadOnly(path: string, options: OpenReadOnlyOptions = {}): Promise<ReadOnlyBlockstore> {
  const source = openFileSource(path)
  try {
    let index = options.index
    if (options.indexPath !== undefined) {
      const file = openFileSource(options.indexPath)
      try {
        index = (await readIndex(file, { signal: options.signal })).index
      } finally {
        file.close()
      }
    }
    return await ReadOnlyBlockstore.create(source, { ...options, index })
  } catch (err) {
    source.close()
    throw err
  }
}
