/** CAR format constants. https://ipld.io/specs/transport/car/carv2/ */

/** The CARv2 pragma: varint 10 + DAG-CBOR `{"version": 2}`. */
export const PRAGMA = Uint8Array.of(0x0a, 0xa1, 0x67, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02)
/** Length of the CARv2 pragma. */
export const PRAGMA_SIZE = 11
/** Length of the fixed CARv2 header that follows the pragma. */
export const V2_HEADER_SIZE = 40
/** Smallest CARv2 data offset: pragma + header. */
export const V2_PREFIX_SIZE = PRAGMA_SIZE + V2_HEADER_SIZE

/** Default cap on a CARv1 header (go-car's DefaultMaxAllowedHeaderSize). */
export const DEFAULT_MAX_HEADER_SIZE = 32 << 20
/** Default cap on a section (go-car's DefaultMaxAllowedSectionSize). */
export const DEFAULT_MAX_SECTION_SIZE = 8 << 20
/** Largest CID the writer stores (go-car's MaxIndexCidSize). */
export const MAX_CID_SIZE = 2 << 10
/** Hard ceiling for the section cap option: block sizes are kept in 32-bit slots. */
export const SECTION_SIZE_CEILING = 0x7fffffff

/** IndexSorted: digest-keyed, no multihash code. */
export const INDEX_SORTED = 0x0400
/** MultihashIndexSorted: grouped by multihash code; go-car's default. */
export const MULTIHASH_INDEX_SORTED = 0x0401

/** Multihash code of the identity "hash". */
export const IDENTITY = 0x00
/** Multihash code of sha2-256. */
export const SHA2_256 = 0x12
/** Multihash code of blake2b-256. */
export const BLAKE2B_256 = 0xb220

/** Bit 7 of the first characteristics byte: the index catalogs every section, identity CIDs included. */
export const FULLY_INDEXED_BIT = 0x80
