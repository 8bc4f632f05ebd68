/**
 * The CLI runner: parses argv with citty, prints `--help` for any command, and turns every thrown error into
 * one line `petal: <CODE>: <message>` with a non-zero exit. Only this file calls `process.exit`.
 */
import { runCommand, showUsage, type CommandDef } from 'citty'
import { toFileSystemError } from '../../store/errors.ts'

/** Exit status for usage errors (unknown command or flag, missing argument). */
export const EXIT_USAGE = 2
/** Exit status for every other failure. */
export const EXIT_FAILURE = 1

/** Runs `root` with `argv` (without the program name) and exits the process on failure. */
export async function runCli(root: CommandDef<any>, argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    const [cmd, parent] = await resolveSubCommand(root, argv)
    await showUsage(cmd, parent)
    return
  }
  try {
    await runCommand(root, { rawArgs: argv })
  } catch (thrown) {
    // A system error that escaped a typed wrapper still gets a stable petal code.
    const err = toFileSystemError(thrown)
    const usage = USAGE_CODES.has(errorCode(err))
    const code = usage ? 'E_USAGE' : errorCode(err)
    if (usage) {
      const [cmd, parent] = await resolveSubCommand(root, argv)
      await showUsage(cmd, parent)
    }
    process.stderr.write(`petal: ${code}: ${errorMessage(err)}\n`)
    if (process.env.PETAL_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`)
    process.exit(usage ? EXIT_USAGE : EXIT_FAILURE)
  }
}

// citty's own codes for argument problems.
const USAGE_CODES = new Set(['E_UNKNOWN_COMMAND', 'E_NO_COMMAND', 'E_ARG_REQUIRED', 'E_INVALID_ARG', 'EARG'])

/** The stable code of an error: its `code` if it has a string one, else `E_INTERNAL`. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.length > 0 ? code : 'E_INTERNAL'
}

/** The message of an error, with the causes' messages appended so nothing is lost on one line. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  let msg = err.message
  let cause = err.cause
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    if (!msg.includes(cause.message)) msg += `: ${cause.message}`
    cause = cause.cause
  }
  return msg.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s*\n\s*/g, ' ')
}

async function resolveSubCommand(cmd: CommandDef<any>, argv: string[], parent?: CommandDef<any>): Promise<[CommandDef<any>, CommandDef<any> | undefined]> {
  const subs = await resolve(cmd.subCommands)
  if (subs) {
    const name = argv.find((a) => !a.startsWith('-'))
    const sub = name ? subs[name] : undefined
    if (sub) return resolveSubCommand(await resolve(sub), argv.slice(argv.indexOf(name!) + 1), cmd)
  }
  return [cmd, parent]
}

async function resolve<T>(v: T | Promise<T> | (() => T) | (() => Promise<T>)): Promise<T> {
  return typeof v === 'function' ? await (v as () => T | Promise<T>)() : await v
}
