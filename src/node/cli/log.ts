/** `petal log list|set-level|tail`: the running node's logging. */
import { defineCommand } from 'citty'
import { formatHuman, formatJson, LEVELS, parseLevel, type LogEntry } from '../log/index.ts'
import { jsonArgs, repoArgs } from './args.ts'
import { clientFor } from './context.ts'
import { printJson } from './output.ts'

export default defineCommand({
  meta: { name: 'log', description: "Inspect and change the running node's logging" },
  subCommands: {
    list: defineCommand({
      meta: { name: 'list', description: 'List log subsystems' },
      args: { ...repoArgs, ...jsonArgs },
      async run({ args }) {
        const names = await clientFor(args).call<string[]>('Filecoin.LogList')
        if (args.json) return printJson(names)
        process.stdout.write(names.map((n) => `${n}\n`).join(''))
      },
    }),
    'set-level': defineCommand({
      meta: { name: 'set-level', description: "Set a subsystem's level ('*' for every subsystem)" },
      args: {
        ...repoArgs,
        subsystem: { type: 'positional', required: true, description: "Subsystem name, or '*'" },
        level: { type: 'positional', required: true, description: `One of ${LEVELS.join(', ')}` },
      },
      async run({ args }) {
        const level = parseLevel(args.level)
        await clientFor(args).call('Filecoin.LogSetLevel', [args.subsystem, level])
        process.stdout.write(`${args.subsystem}: ${level}\n`)
      },
    }),
    tail: defineCommand({
      meta: { name: 'tail', description: 'Stream log entries from the node until interrupted' },
      args: {
        ...repoArgs,
        ...jsonArgs,
        level: { type: 'string', default: 'info', description: `Lowest level to show (${LEVELS.join(', ')})` },
      },
      async run({ args }) {
        const level = parseLevel(args.level)
        const abort = new AbortController()
        process.once('SIGINT', () => abort.abort())
        for await (const e of clientFor(args).stream<LogEntry & Record<string, unknown>>('Filecoin.LogSubscribe', [level], abort.signal)) {
          process.stdout.write(`${args.json ? formatJson(e) : formatHuman(e, process.stdout.isTTY === true)}\n`)
        }
      },
    }),
  },
})
