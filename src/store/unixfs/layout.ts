/**
 * UnixFS import layouts. `ipfs-car` reproduces ipfs-car / Storacha / Helia (`unixfs-v1-2025`) root CIDs;
 * `lotus` reproduces Lotus's client imports (`lib/unixfs`: blake2b-256, identity CIDs for blocks of at most
 * 126 bytes). Both: CIDv1, raw leaves, fixed 1 MiB chunks, balanced trees of 1024 links.
 * https://specs.ipfs.tech/ipips/ipip-0499/
 */

/** How a file becomes a DAG. */
export interface UnixfsLayout {
  name: string
  /** Bytes per leaf (the last leaf may be shorter). */
  chunkSize: number
  /** Links per branch node. */
  width: number
  /** Multihash of every block. */
  hash: 'sha2-256' | 'blake2b-256'
  /** Blocks of at most this many bytes get identity CIDs (0 = never), as go-cid's InlineBuilder. */
  inlineLimit: number
}

/** ipfs-car 3 and IPIP-0499's `unixfs-v1-2025` profile. */
export const IPFS_CAR_LAYOUT: UnixfsLayout = Object.freeze({ name: 'ipfs-car', chunkSize: 1 << 20, width: 1024, hash: 'sha2-256', inlineLimit: 0 })

/** Lotus `client import` (`build.UnixfsChunkSize`, `UnixfsLinksPerLevel`, `cidutil.InlineBuilder`). */
export const LOTUS_LAYOUT: UnixfsLayout = Object.freeze({ name: 'lotus', chunkSize: 1 << 20, width: 1024, hash: 'blake2b-256', inlineLimit: 126 })

/** The layouts users pick by name. */
export const LAYOUTS: Readonly<Record<string, UnixfsLayout>> = Object.freeze({ 'ipfs-car': IPFS_CAR_LAYOUT, lotus: LOTUS_LAYOUT })
