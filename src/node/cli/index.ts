/**
 * The `petal` root command. Subcommands load lazily so `petal version` does not pay for the sealing code;
 * each lives in its own file under src/node/cli/ and exports a citty command as default.
 */
import { defineCommand } from 'citty'
import { VERSION } from '../version.ts'

export const rootCommand = defineCommand({
  meta: { name: 'petal', version: VERSION, description: 'A Filecoin-style storage and retrieval edge node in one binary' },
  subCommands: {},
})
