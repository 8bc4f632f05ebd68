/**
 * The `petal` root command. Subcommands load lazily so `petal version` does not pay for the sealing code;
 * each lives in its own file under src/node/cli/ and exports a citty command as default.
 */
import { defineCommand } from 'citty'
import { VERSION } from '../version.ts'

export const rootCommand = defineCommand({
  meta: { name: 'petal', version: VERSION, description: 'A Filecoin-style storage and retrieval edge node in one binary' },
  subCommands: {
    init: () => import('./init.ts').then((m) => m.default),
    run: () => import('./daemon.ts').then((m) => m.default),
    stop: () => import('./stop.ts').then((m) => m.default),
    version: () => import('./version.ts').then((m) => m.default),
    config: () => import('./config.ts').then((m) => m.default),
    auth: () => import('./auth.ts').then((m) => m.default),
    log: () => import('./log.ts').then((m) => m.default),
    commp: () => import('./commp.ts').then((m) => m.default),
    car: () => import('./car.ts').then((m) => m.default),
    dagstore: () => import('./dagstore.ts').then((m) => m.default),
    client: () => import('./client/index.ts').then((m) => m.default),
    bench: () => import('./bench.ts').then((m) => m.default),
  },
})
