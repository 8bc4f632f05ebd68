/** Lets timers and I/O run between long synchronous steps, so aborts and progress get through. */
const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate

/** Resolves on the next turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)))
}
