/** Errors of the tree hash helpers. */
import { ProofsError } from '../errors.ts'

/** Node-pair input that is not a whole number of 64-byte pairs. */
export class NodePairsLengthError extends ProofsError {
  override name = 'NodePairsLengthError'
  constructor(length: number) {
    super('E_NODE_PAIRS_LENGTH', `node pairs are 64 bytes each, got ${length} bytes`)
  }
}
