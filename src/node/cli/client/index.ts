/** `petal client …`: one file per subcommand. */
import { defineCommand } from 'citty'

export default defineCommand({
  meta: { name: 'client', description: 'Import data, inspect and export imports, retrieve from providers' },
  subCommands: {
    retrieve: () => import('./retrieve.ts').then((m) => m.default),
  },
})
