/** Log levels, lowest first; Lotus's names in lower case. */
import { InvalidLevelError } from '../errors.ts'

export const LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type Level = (typeof LEVELS)[number]

/** Numeric rank of a level, for comparisons. */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level)
}

/** Checks a level name from a user (case-insensitive; `warning` is accepted for warn). */
export function parseLevel(text: string): Level {
  const l = text.toLowerCase() === 'warning' ? 'warn' : text.toLowerCase()
  if (!(LEVELS as readonly string[]).includes(l)) throw new InvalidLevelError(text)
  return l as Level
}
