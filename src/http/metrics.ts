/**
 * A small Prometheus registry: counters, gauges (set or collected on scrape) and histograms with labels,
 * rendered in the text exposition format. https://prometheus.io/docs/instrumenting/exposition_formats/
 */

type Labels = Record<string, string>

interface Metric {
  render(): string
}

/** Default latency buckets in seconds, from 100 µs to 10 s. */
export const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** Holds metrics and renders them all for GET /debug/metrics. */
export class MetricsRegistry {
  readonly #metrics: Metric[] = []

  counter(name: string, help: string): Counter {
    return this.#add(new Counter(name, help))
  }

  gauge(name: string, help: string, collect?: () => number | Array<[Labels, number]>): Gauge {
    return this.#add(new Gauge(name, help, collect))
  }

  histogram(name: string, help: string, buckets = LATENCY_BUCKETS): Histogram {
    return this.#add(new Histogram(name, help, buckets))
  }

  /** The text exposition of every metric. */
  render(): string {
    return this.#metrics.map((m) => m.render()).join('')
  }

  #add<M extends Metric>(m: M): M {
    this.#metrics.push(m)
    return m
  }
}

/** A monotonically increasing count per label set. */
export class Counter implements Metric {
  readonly #values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels)
    this.#values.set(key, (this.#values.get(key) ?? 0) + by)
  }

  /** A handle bound to one label set, for hot paths (no label formatting per increment). */
  bind(labels: Labels): { inc(by?: number): void } {
    const key = labelKey(labels)
    if (!this.#values.has(key)) this.#values.set(key, 0)
    const values = this.#values
    return { inc: (by = 1) => values.set(key, values.get(key)! + by) }
  }

  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels)) ?? 0
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`
    for (const [key, v] of this.#values) out += `${this.name}${key} ${v}\n`
    return out
  }
}

/** A value that goes up and down, set directly or read from `collect` at scrape time. */
export class Gauge implements Metric {
  readonly #values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
    readonly collect?: () => number | Array<[Labels, number]>,
  ) {}

  set(value: number, labels: Labels = {}): void {
    this.#values.set(labelKey(labels), value)
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n`
    const collected = this.collect?.()
    if (typeof collected === 'number') out += `${this.name} ${collected}\n`
    else if (collected) for (const [labels, v] of collected) out += `${this.name}${labelKey(labels)} ${v}\n`
    for (const [key, v] of this.#values) out += `${this.name}${key} ${v}\n`
    return out
  }
}

/** Observations bucketed by upper bound, per label set. */
export class Histogram implements Metric {
  readonly #series = new Map<string, Series>()
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {}

  observe(value: number, labels: Labels = {}): void {
    this.#get(labelKey(labels)).observe(value)
  }

  /** A handle bound to one label set, for hot paths. */
  bind(labels: Labels): { observe(value: number): void } {
    return this.#get(labelKey(labels))
  }

  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`
    for (const [key, s] of this.#series) {
      const inner = key.slice(1, -1)
      const sep = inner ? `${inner},` : ''
      let cumulative = 0
      this.buckets.forEach((b, i) => {
        cumulative += s.counts[i]
        out += `${this.name}_bucket{${sep}le="${b}"} ${cumulative}\n`
      })
      out += `${this.name}_bucket{${sep}le="+Inf"} ${s.count}\n`
      out += `${this.name}_sum${key} ${s.sum}\n${this.name}_count${key} ${s.count}\n`
    }
    return out
  }

  #get(key: string): Series {
    let s = this.#series.get(key)
    if (!s) this.#series.set(key, (s = new Series(this.buckets)))
    return s
  }
}

/** One label set's bucket counts (each observation counted in its smallest bucket only). */
class Series {
  readonly counts: number[]
  sum = 0
  count = 0
  constructor(readonly buckets: number[]) {
    this.counts = new Array(buckets.length).fill(0)
  }

  observe(value: number): void {
    const b = this.buckets
    for (let i = 0; i < b.length; i++) {
      if (value <= b[i]) {
        this.counts[i]++
        break
      }
    }
    this.sum += value
    this.count++
  }
}

function labelKey(labels: Labels): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`
}
