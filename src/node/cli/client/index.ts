/** `petal client …`: one file per subcommand. */
import { defineCommand } from 'citty'

export default defineCommand({
  meta: { name: 'client', description: 'Import data, inspect and export imports, retrieve from providers' },
  subCommands: {
    import: () => import('./import.ts').then((m) => m.default),
    local: () => import('./local.ts').then((m) => m.default),
    drop: () => import('./drop.ts').then((m) => m.default),
    export: () => import('./export.ts').then((m) => m.default),
    cat: () => import('./cat.ts').then((m) => m.default),
    stat: () => import('./stat.ts').then((m) => m.default),
    retrieve: () => import('./retrieve.ts').then((m) => m.default),
  },
})
