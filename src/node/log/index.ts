/** petal's logging: one hub per process, loggers per subsystem. */
import { LogHub } from './hub.ts'

export * from './levels.ts'
export * from './types.ts'
export * from './format.ts'
export { LogHub } from './hub.ts'

/** The process-wide hub. The node configures its levels and sinks at start. */
export const logs = new LogHub()

/** The logger for a subsystem of the process-wide hub. */
export const logger = (subsystem: string) => logs.logger(subsystem)
