/**
 * Every schema migration in order. A later part adds a table by adding a file `NNNN-name.ts` here and one
 * entry below; published migrations never change.
 */
import type { Migration } from '../types.ts'
import { m0001 } from './0001-core.ts'
import { m0002 } from './0002-dagstore.ts'
import { m0003 } from './0003-imports.ts'
import { m0004 } from './0004-dagstore-pages.ts'
import { m0005 } from './0005-sectors.ts'

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005]
