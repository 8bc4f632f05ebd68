/**
 * Errors of the CAR readers, writers and index codecs. Each failure has its own class with a stable `code`;
 * callers and tests match on the code, never on the message.
 */
import { StoreError } from '../errors.ts'

/** The first bytes are not a CAR header of any known shape (CARv2 requires the exact 11-byte pragma). */
export class CarBadPragmaError extends StoreError {
  override name = 'CarBadPragmaError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_BAD_PRAGMA', message, options)
  }
}

/** The header declares a version other than 1 or 2. */
export class CarUnsupportedVersionError extends StoreError {
  override name = 'CarUnsupportedVersionError'
  constructor(
    readonly version: unknown,
    options?: ErrorOptions,
  ) {
    super('E_CAR_UNSUPPORTED_VERSION', `unsupported CAR version: ${typeof version === 'number' ? version : typeof version}`, options)
  }
}

/** The CARv1 header (or the CARv2 fixed header) does not decode or fails validation. */
export class CarBadHeaderError extends StoreError {
  override name = 'CarBadHeaderError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_BAD_HEADER', message, options)
  }
}

/** The header length prefix exceeds the cap (default 32 MiB). */
export class CarHeaderTooLargeError extends StoreError {
  override name = 'CarHeaderTooLargeError'
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super('E_CAR_HEADER_TOO_LARGE', `CAR header of ${length} bytes exceeds the limit of ${limit} bytes`)
  }
}

/** A section length prefix exceeds the cap (default 8 MiB). */
export class CarSectionTooLargeError extends StoreError {
  override name = 'CarSectionTooLargeError'
  constructor(
    readonly offset: number,
    readonly length: number,
    readonly limit: number,
  ) {
    super('E_CAR_SECTION_TOO_LARGE', `section at payload offset ${offset} declares ${length} bytes, over the limit of ${limit} bytes`)
  }
}

/** The input ends inside a header, a section or an index. */
export class CarTruncatedError extends StoreError {
  override name = 'CarTruncatedError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_TRUNCATED', message, options)
  }
}

/** A section is malformed: shorter than its CID, or a zero-length section where none is allowed. */
export class CarBadSectionError extends StoreError {
  override name = 'CarBadSectionError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_BAD_SECTION', message, options)
  }
}

/** A varint is malformed: not minimal, longer than 9 bytes, or above 2^53. */
export class CarBadVarintError extends StoreError {
  override name = 'CarBadVarintError'
  constructor(message: string) {
    super('E_CAR_BAD_VARINT', message)
  }
}

/** Bytes that should be a CID are not one. */
export class CarBadCidError extends StoreError {
  override name = 'CarBadCidError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_BAD_CID', message, options)
  }
}

/** A CID is longer than the cap the writer accepts (2 KiB, as go-car's MaxIndexCidSize). */
export class CarCidTooLargeError extends StoreError {
  override name = 'CarCidTooLargeError'
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super('E_CAR_CID_TOO_LARGE', `CID of ${length} bytes exceeds the limit of ${limit} bytes`)
  }
}

/** A block's bytes do not hash to the digest in its CID. */
export class CarCidMismatchError extends StoreError {
  override name = 'CarCidMismatchError'
  constructor(
    readonly cid: string,
    readonly offset: number | undefined,
  ) {
    super('E_CAR_CID_MISMATCH', `block ${cid}${offset === undefined ? '' : ` at payload offset ${offset}`} does not match its CID`)
  }
}

/** A block uses a hash function petal cannot verify, and the source was not marked trusted. */
export class CarUnsupportedHashError extends StoreError {
  override name = 'CarUnsupportedHashError'
  constructor(readonly hashCode: number) {
    super('E_CAR_UNSUPPORTED_HASH', `cannot verify multihash code 0x${hashCode.toString(16)}; mark the source trusted to read it unverified`)
  }
}

/** An index does not decode: unknown codec, bad counts, widths or lengths, unsorted entries. */
export class CarBadIndexError extends StoreError {
  override name = 'CarBadIndexError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_BAD_INDEX', message, options)
  }
}

/** The index codec is not IndexSorted (0x0400) or MultihashIndexSorted (0x0401). */
export class CarUnknownIndexCodecError extends StoreError {
  override name = 'CarUnknownIndexCodecError'
  constructor(readonly codec: number) {
    super('E_CAR_UNKNOWN_INDEX_CODEC', `unknown CAR index codec 0x${codec.toString(16)}`)
  }
}

/** An index decodes but does not describe the data it was given with. */
export class CarIndexMismatchError extends StoreError {
  override name = 'CarIndexMismatchError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_INDEX_MISMATCH', message, options)
  }
}

/** The requested operation needs an index the input does not have. */
export class CarNoIndexError extends StoreError {
  override name = 'CarNoIndexError'
  constructor(message: string) {
    super('E_CAR_NO_INDEX', message)
  }
}

/** The operation needs a CARv2 but got a CARv1 (or the reverse). */
export class CarWrongVersionError extends StoreError {
  override name = 'CarWrongVersionError'
  constructor(
    readonly version: number,
    message: string,
  ) {
    super('E_CAR_WRONG_VERSION', message)
  }
}

/** A block links with a codec the DAG walker cannot decode. */
export class CarUnsupportedCodecError extends StoreError {
  override name = 'CarUnsupportedCodecError'
  constructor(readonly codec: number) {
    super('E_CAR_UNSUPPORTED_CODEC', `cannot decode links of codec 0x${codec.toString(16)}`)
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends StoreError {
  override name = 'AbortError'
  constructor(options?: ErrorOptions) {
    super('E_ABORTED', 'the operation was aborted', options)
  }
}

/** Throws AbortedError (with the signal's reason as cause) when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortedError({ cause: signal.reason })
}

/** The index cannot list multihashes: IndexSorted (0x0400) keys digests only, without hash codes. */
export class CarIndexNotIterableError extends StoreError {
  override name = 'CarIndexNotIterableError'
  constructor() {
    super('E_CAR_INDEX_NOT_ITERABLE', 'an IndexSorted (0x0400) index keys digests without multihash codes; regenerate it as 0x0401 to list multihashes')
  }
}

/** A block's bytes do not decode as the codec its CID names. */
export class CarBadBlockError extends StoreError {
  override name = 'CarBadBlockError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CAR_BAD_BLOCK', message, options)
  }
}

/** The in-memory index reached its 4 GiB key pool (about a hundred million blocks). */
export class CarIndexFullError extends StoreError {
  override name = 'CarIndexFullError'
  constructor() {
    super('E_CAR_INDEX_FULL', 'the in-memory index is full (4 GiB of keys); split the CAR')
  }
}
