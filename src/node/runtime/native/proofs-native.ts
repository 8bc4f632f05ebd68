/**
 * The TypeScript layer over PROOFS_SYMBOLS: checks lengths before every call (C trusts its arguments), turns
 * status codes into typed errors, and implements the proofs library's `ProofsNative` interface. The library
 * never allocates, so there is nothing to free: every buffer belongs to the caller.
 */
import type { Library } from 'bun:ffi'
import { subtreeQuads } from '../../../proofs/commp/subtree.ts'
import { Fr32InvalidError, Fr32LengthError, Fr32OutputTooSmallError } from '../../../proofs/fr32/errors.ts'
import { checkFr32 } from '../../../proofs/fr32/fr32.ts'
import { NodePairsLengthError } from '../../../proofs/hash/errors.ts'
import type { NativeSha, ProofsNative } from '../../../proofs/native/types.ts'
import { checkStatus, PETAL_EFR32, PETAL_OK, PROOFS_SYMBOLS, SHA_IMPLS } from './abi.ts'
import { NativeUnavailableError } from './errors.ts'
import { openNativeLibrary } from './library.ts'

type ProofsLibrary = Library<typeof PROOFS_SYMBOLS>

/** Opens libpetal and wraps its piece-commitment functions. */
export function openProofsNative(): ProofsNative {
  const { library, path } = openNativeLibrary(PROOFS_SYMBOLS)
  return wrap(library, path)
}

/** Forces the SHA-256 implementation of the loaded library, process-wide (tests run each path). */
export function forceNativeSha(sha: NativeSha): void {
  const { library } = openNativeLibrary(PROOFS_SYMBOLS)
  const impl = SHA_IMPLS.indexOf(sha as (typeof SHA_IMPLS)[number])
  if (impl < 0 || library.symbols.petal_sha256_force(impl) !== PETAL_OK) throw new NativeUnavailableError(`${sha} SHA-256 is not available on this CPU`)
}

/** The SHA-256 implementation the loaded library uses now. */
export function nativeSha(library: ProofsLibrary): NativeSha {
  return SHA_IMPLS[library.symbols.petal_sha256_impl()] ?? 'portable'
}

function wrap(library: ProofsLibrary, path: string): ProofsNative {
  const s = library.symbols
  return {
    get name() {
      return `native:${nativeSha(library)}`
    },
    get sha() {
      return nativeSha(library)
    },
    library: path,
    subtreeRoot(payload, out) {
      const quads = subtreeQuads(payload.length)
      if (out.length < 32) throw new Fr32OutputTooSmallError(32, out.length)
      checkStatus('petal_commp_subtree', s.petal_commp_subtree(payload, quads, out))
    },
    fr32Pad(input, output) {
      if (input.length % 127 !== 0) throw new Fr32LengthError('pad', input.length)
      const quads = input.length / 127
      if (output.length < quads * 128) throw new Fr32OutputTooSmallError(quads * 128, output.length)
      if (quads > 0) checkStatus('petal_fr32_pad', s.petal_fr32_pad(input, output, quads))
    },
    fr32Unpad(input, output) {
      if (input.length % 128 !== 0) throw new Fr32LengthError('unpad', input.length)
      const quads = input.length / 128
      if (output.length < quads * 127) throw new Fr32OutputTooSmallError(quads * 127, output.length)
      if (quads === 0) return
      const status = s.petal_fr32_unpad(input, output, quads)
      if (status === PETAL_EFR32) {
        // Let the reference check name the offending element.
        checkFr32(input)
        throw new Fr32InvalidError(0)
      }
      checkStatus('petal_fr32_unpad', status)
    },
    hashPairs(input, output) {
      if (input.length % 64 !== 0) throw new NodePairsLengthError(input.length)
      const n = input.length / 64
      if (output.length < n * 32) throw new Fr32OutputTooSmallError(n * 32, output.length)
      if (n > 0) checkStatus('petal_hash_pairs', s.petal_hash_pairs(input, output, n))
    },
  }
}
