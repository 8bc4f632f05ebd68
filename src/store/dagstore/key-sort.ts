/** Lookup keys put in B-tree order before they are inserted (./index-store.ts, ./lookup-batch.ts). */

/** Largest run: the sort packs a 32-bit key prefix and a 20-bit position into one exact double. */
export const MAX_RUN = 1 << 20

/**
 * Positions 0..n-1 ordered by the top 32 bits of `keys` (keys sharing them keep scan order, which costs
 * nothing here: near-sorted is what keeps the B-tree writes local). Runs of 2^17 or more take a two-pass
 * radix sort on 16-bit digits; small ones a native sort of doubles packing the prefix with the position.
 * The radix passes run in chunks through small functions, which the JIT compiles after a few calls: one
 * loop over a million keys would run mostly uncompiled the first time (~4x slower).
 */
export function sortByKeyPrefix(keys: Float64Array, n: number): Uint32Array {
  const order = new Uint32Array(n)
  if (n < 1 << 17) {
    const packed = new Float64Array(n)
    for (let i = 0; i < n; i++) packed[i] = Math.floor(keys[i] / 0x200000) * MAX_RUN + i
    packed.sort()
    for (let i = 0; i < n; i++) order[i] = packed[i] % MAX_RUN
    return order
  }
  const prefix = new Uint32Array(n)
  const low = new Uint32Array(n)
  const counts = new Uint32Array(65536)
  for (let f = 0; f < n; f += SORT_CHUNK) prefixesOf(keys, prefix, f, Math.min(n, f + SORT_CHUNK))
  for (let f = 0; f < n; f += SORT_CHUNK) countDigits(prefix, counts, f, Math.min(n, f + SORT_CHUNK), 0)
  toStarts(counts)
  for (let f = 0; f < n; f += SORT_CHUNK) scatterByLow(prefix, counts, low, f, Math.min(n, f + SORT_CHUNK))
  counts.fill(0)
  for (let f = 0; f < n; f += SORT_CHUNK) countDigits(prefix, counts, f, Math.min(n, f + SORT_CHUNK), 16)
  toStarts(counts)
  for (let f = 0; f < n; f += SORT_CHUNK) scatterByHigh(prefix, counts, low, order, f, Math.min(n, f + SORT_CHUNK))
  return order
}

const SORT_CHUNK = 8192

function prefixesOf(keys: Float64Array, prefix: Uint32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) prefix[i] = Math.floor(keys[i] / 0x200000)
}

function countDigits(prefix: Uint32Array, counts: Uint32Array, from: number, to: number, shift: number): void {
  for (let i = from; i < to; i++) counts[(prefix[i] >>> shift) & 0xffff]++
}

function toStarts(counts: Uint32Array): void {
  for (let d = 0, sum = 0; d < counts.length; d++) {
    const c = counts[d]
    counts[d] = sum
    sum += c
  }
}

function scatterByLow(prefix: Uint32Array, starts: Uint32Array, out: Uint32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out[starts[prefix[i] & 0xffff]++] = i
}

function scatterByHigh(prefix: Uint32Array, starts: Uint32Array, src: Uint32Array, out: Uint32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const i = src[k]
    out[starts[prefix[i] >>> 16]++] = i
  }
}
