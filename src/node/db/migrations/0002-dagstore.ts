import { DAGSTORE_SCHEMA } from '../../../store/dagstore/schema.ts'
import type { Migration } from '../types.ts'

/** The dagstore's shards (state, mount, data offset, roots) and their block index with its inverted lookup. */
export const m0002: Migration = {
  version: 2,
  name: 'dagstore',
  up: DAGSTORE_SCHEMA,
}
