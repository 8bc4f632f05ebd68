/**
 * `Range: bytes=…` for raw blocks and pieces (RFC 9110 §14). One range is answered 206 with Content-Range;
 * several are answered 206 `multipart/byteranges`; none that overlaps is 416. A header that does not parse
 * is ignored (the whole resource, 200), as the RFC allows.
 */

/** An inclusive byte range. */
export interface ByteRange {
  start: number
  end: number
}

/** What a Range header asks of a resource of known size. */
export type RangeRequest = { kind: 'none' } | { kind: 'ranges'; ranges: ByteRange[] } | { kind: 'unsatisfiable' }

/** Parses a Range header against `size` bytes. */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'none' }
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header)
  if (m === null) return { kind: 'none' }
  const ranges: ByteRange[] = []
  let any = false
  for (const spec of m[1].split(',')) {
    const r = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(spec)
    if (r === null || (r[1] === '' && r[2] === '')) return { kind: 'none' }
    any = true
    if (r[1] === '') {
      const suffix = Number(r[2])
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 })
      continue
    }
    const start = Number(r[1])
    const end = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1)
    if (r[2] !== '' && Number(r[2]) < start) return { kind: 'none' }
    if (start < size) ranges.push({ start, end })
  }
  if (!any) return { kind: 'none' }
  return ranges.length === 0 ? { kind: 'unsatisfiable' } : { kind: 'ranges', ranges }
}

/** `Content-Range` of one range. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`
}

/** A multipart/byteranges body: its Content-Type, exact length, and the parts to stream in order. */
export function multipartRanges(
  ranges: ByteRange[],
  size: number,
  contentType: string,
  read: (range: ByteRange) => AsyncIterable<Uint8Array>,
): { contentType: string; length: number; body: () => AsyncGenerator<Uint8Array> } {
  const boundary = `petal-${crypto.randomUUID().replace(/-/g, '')}`
  const enc = new TextEncoder()
  const heads = ranges.map((r, i) => enc.encode(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${contentType}\r\nContent-Range: ${contentRange(r, size)}\r\n\r\n`))
  const tail = enc.encode(`\r\n--${boundary}--\r\n`)
  const length = heads.reduce((n, h) => n + h.length, 0) + ranges.reduce((n, r) => n + r.end - r.start + 1, 0) + tail.length
  return {
    contentType: `multipart/byteranges; boundary=${boundary}`,
    length,
    body: async function* () {
      for (let i = 0; i < ranges.length; i++) {
        yield heads[i]
        yield* read(ranges[i])
      }
      yield tail
    },
  }
}
