/**
 * Errors of retrieving from a provider. A provider that sends a wrong, missing or extra block fails with the
 * DAG verifier's own codes (E_DAG_HASH_MISMATCH, E_DAG_UNEXPECTED_BLOCK, E_DAG_MISSING_BLOCK,
 * E_DAG_EXTRANEOUS_BLOCK, …); the classes here cover the transfer around it and the export after it.
 */
import { NodeError } from '../errors.ts'

/** The provider is not an http(s) URL without credentials, query or fragment. */
export class RetrieveProviderUrlError extends NodeError {
  override name = 'RetrieveProviderUrlError'
  constructor(readonly provider: string, reason: string) {
    super('E_RETRIEVE_PROVIDER_URL', `provider ${JSON.stringify(provider)} is not usable: ${reason}`)
  }
}

/** The provider could not be reached, or the connection broke while the response streamed. */
export class RetrieveTransferError extends NodeError {
  override name = 'RetrieveTransferError'
  constructor(readonly url: string, reason: string, options?: ErrorOptions) {
    super('E_RETRIEVE_TRANSFER', `${reason}: ${url}`, options)
  }
}

/** The provider answered with a status other than 200. */
export class RetrieveProviderStatusError extends NodeError {
  override name = 'RetrieveProviderStatusError'
  constructor(readonly url: string, readonly status: number, detail: string) {
    super('E_RETRIEVE_PROVIDER_STATUS', `provider answered ${status}${detail ? ` (${detail})` : ''}: ${url}`)
  }
}

/** The provider answered 200 with something that is not a CARv1 of DFS-ordered blocks. */
export class RetrieveBadResponseError extends NodeError {
  override name = 'RetrieveBadResponseError'
  constructor(readonly url: string, reason: string, options?: ErrorOptions) {
    super('E_RETRIEVE_BAD_RESPONSE', `${reason}: ${url}`, options)
  }
}

/** Another process (or call) is running the same retrieval right now. */
export class RetrieveBusyError extends NodeError {
  override name = 'RetrieveBusyError'
  constructor(readonly id: string, readonly pid: number) {
    super('E_RETRIEVE_BUSY', `retrieval ${id} is already running in process ${pid}`)
  }
}

/** The retrieved DAG is not UnixFS (or uses a UnixFS type petal cannot write out); use --car instead. */
export class RetrieveNotUnixfsError extends NodeError {
  override name = 'RetrieveNotUnixfsError'
  constructor(readonly cid: string, reason: string) {
    super('E_RETRIEVE_NOT_UNIXFS', `cannot write ${cid} out as files: ${reason} (export it with --car)`)
  }
}

/** A directory entry name that could escape the output folder ('', '.', '..', or with '/' or NUL). */
export class RetrieveUnsafeNameError extends NodeError {
  override name = 'RetrieveUnsafeNameError'
  constructor(readonly entry: string, readonly cid: string) {
    super('E_RETRIEVE_UNSAFE_NAME', `directory ${cid} has an entry named ${JSON.stringify(entry)}, which is not a safe file name`)
  }
}

/** The export target already exists; petal never overwrites it. */
export class RetrieveOutputExistsError extends NodeError {
  override name = 'RetrieveOutputExistsError'
  constructor(readonly path: string) {
    super('E_RETRIEVE_OUTPUT_EXISTS', `${path} already exists; choose another output path`)
  }
}

/** No retrieval with this id is recorded in the repo. */
export class RetrieveNotFoundError extends NodeError {
  override name = 'RetrieveNotFoundError'
  constructor(readonly id: string) {
    super('E_RETRIEVE_NOT_FOUND', `no retrieval ${id} in this repo`)
  }
}
