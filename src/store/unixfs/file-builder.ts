/**
 * Builds a UnixFS file DAG from fixed-size chunks with the balanced layout, synchronously and without
 * buffering the file: leaves are hashed as they arrive and branch nodes are emitted as soon as they fill.
 * It reproduces @ipld/unixfs's balanced layout (and so ipfs-car's CIDs) node for node, encoding every
 * branch with @ipld/unixfs's codec; test/store/unixfs checks the CIDs against @ipld/unixfs and ipfs-car.
 */
import * as UnixFS from '@ipld/unixfs'
import * as pb from '@ipld/dag-pb'
import type { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { linkMaker, type LinkMaker } from './hasher.ts'
import type { UnixfsLayout } from './layout.ts'

/** A link to a file part: what UnixFS records for each child. */
export interface FileLink {
  cid: CID
  /** Bytes of file content under the link. */
  contentByteLength: number
  /** Bytes of blocks under the link (the dag-pb Tsize). */
  dagByteLength: number
}

/** Where the builder sends what it makes. */
export interface FileDagSink {
  /**
   * A leaf: its CID, its offset in the file, its length, and its bytes when the builder saw them (valid
   * only during the call; absent for leaves hashed elsewhere).
   */
  leaf?(cid: CID, offset: number, length: number, bytes?: Uint8Array): void
  /** A branch node, complete. */
  branch?(cid: CID, bytes: Uint8Array): void
}

const EMPTY = new Uint8Array(0)

/** One file's DAG under construction. */
export class FileDagBuilder {
  readonly #layout: UnixfsLayout
  readonly #link: LinkMaker
  readonly #sink: FileDagSink
  #leaves: FileLink[] = []
  readonly #rows: FileLink[][] = []
  #offset = 0
  #count = 0

  constructor(layout: UnixfsLayout, sink: FileDagSink = {}) {
    this.#layout = layout
    this.#link = linkMaker(layout)
    this.#sink = sink
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#offset
  }

  /** Adds the next chunk: exactly `chunkSize` bytes, except the last chunk of the file. */
  write(chunk: Uint8Array): void {
    this.#add(this.#link(raw.code, chunk), chunk.length, chunk)
  }

  /** Adds the next chunk of `length` bytes whose leaf CID was computed elsewhere (e.g. on another thread). */
  writeLeaf(cid: CID, length: number): void {
    this.#add(cid, length, undefined)
  }

  #add(cid: CID, length: number, chunk: Uint8Array | undefined): void {
    this.#sink.leaf?.(cid, this.#offset, length, chunk)
    this.#offset += length
    this.#count++
    this.#leaves.push({ cid, contentByteLength: length, dagByteLength: length })
    if (this.#leaves.length > this.#layout.width) this.#flush(false)
  }

  /** Finishes the DAG and returns the root link. */
  close(): FileLink {
    if (this.#count === 0) {
      const cid = this.#link(raw.code, EMPTY)
      this.#sink.leaf?.(cid, 0, 0, EMPTY)
      return { cid, contentByteLength: 0, dagByteLength: 0 }
    }
    if (this.#count === 1) return this.#leaves[0]
    this.#flush(true)
    const top = this.#rows[this.#rows.length - 1]
    return top.length === 1 ? top[0] : this.#branch(top)
  }

  /** Groups full rows into branches; on close, every row but the top is grouped, however short. */
  #flush(close: boolean): void {
    const width = this.#layout.width
    const rows = this.#rows
    while (this.#leaves.length > width || (close && this.#leaves.length > 0)) {
      ;(rows[0] ??= []).push(this.#branch(this.#leaves.splice(0, width)))
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]
      while (row.length > width || (close && row.length > 0 && i + 1 < rows.length)) {
        ;(rows[i + 1] ??= []).push(this.#branch(row.splice(0, width)))
      }
    }
  }

  #branch(parts: FileLink[]): FileLink {
    const bytes = UnixFS.encode({ type: UnixFS.NodeType.File, layout: 'advanced', parts } as Parameters<typeof UnixFS.encode>[0])
    const cid = this.#link(pb.code, bytes)
    this.#sink.branch?.(cid, bytes)
    let content = 0
    let dag = bytes.length
    for (const p of parts) {
      content += p.contentByteLength
      dag += p.dagByteLength
    }
    return { cid, contentByteLength: content, dagByteLength: dag }
  }
}
