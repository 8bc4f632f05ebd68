/** A progress bar on stderr when it is a TTY; silent otherwise (logs and pipes stay clean). */

export interface Progress {
  /** Sets the amount done so far (same unit as `total`). */
  update(done: number | bigint): void
  /** Clears the bar. */
  done(): void
}

export interface ProgressOptions {
  /** Total amount of work; unknown totals show a running count. */
  total?: number | bigint
  /** `bytes` formats amounts as sizes and shows a rate. */
  unit?: 'bytes' | 'items'
  /** Defaults to `process.stderr`. */
  stream?: NodeJS.WriteStream
}

const noop: Progress = { update() {}, done() {} }

/** Creates a progress bar labelled `label`; returns a no-op when stderr is not a TTY. */
export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr
  if (!stream.isTTY) return noop
  const total = options.total === undefined ? undefined : Number(options.total)
  const started = performance.now()
  let last = 0
  const fmt = (n: number) => (options.unit === 'bytes' ? human(n) : String(n))
  const draw = (done: number) => {
    const secs = (performance.now() - started) / 1000
    const rate = options.unit === 'bytes' && secs > 0 ? `  ${human(done / secs)}/s` : ''
    let bar = ''
    if (total && total > 0) {
      const width = 30
      const filled = Math.min(width, Math.round((done / total) * width))
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor((done / total) * 100)}% `
    }
    const text = `${label} ${bar}${fmt(done)}${total ? ` / ${fmt(total)}` : ''}${rate}`
    stream.write(`\r${text.slice(0, (stream.columns || 80) - 1)}\x1b[K`)
  }
  return {
    update(done) {
      const now = performance.now()
      if (now - last < 100) return
      last = now
      draw(Number(done))
    },
    done() {
      stream.write('\r\x1b[K')
    },
  }
}

function human(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let u = 0
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024
    u++
  }
  return `${n.toFixed(u === 0 ? 0 : 1)} ${units[u]}`
}
