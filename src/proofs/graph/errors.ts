/** Errors of the SDR graph. */
import { ProofsError } from '../errors.ts'

/** A node count that is not a power of two between 2 and 2^32. */
export class GraphSizeInvalidError extends ProofsError {
  override name = 'GraphSizeInvalidError'
  constructor(nodes: number) {
    super('E_GRAPH_SIZE_INVALID', `a graph has a power-of-two number of nodes between 2 and 2^32, got ${nodes}`)
  }
}
