/** The one place an AsyncIterable of bytes becomes a Web ReadableStream (the HTTP edge). */

/**
 * A pull-driven ReadableStream over `source`: one chunk is read per pull, so a slow client slows the source;
 * cancelling the stream closes the iterator. An error mid-stream errors the body (the connection is cut, so
 * the client sees an incomplete response rather than a clean end) and is reported to `onError`.
 */
export function toReadableStream(source: AsyncIterable<Uint8Array>, onError?: (err: unknown) => void): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await it.next()
          if (next.done === true) controller.close()
          else controller.enqueue(next.value)
        } catch (err) {
          onError?.(err)
          controller.error(err)
        }
      },
      async cancel() {
        await it.return?.()
      },
    },
    { highWaterMark: 1 },
  )
}

/**
 * A response body for Hono's `c.body`: bytes, a file-backed Blob, a stream, or nothing (HEAD, 304).
 * Bun.serve drops a declared Content-Length for a ReadableStream body that is still producing and sends it
 * chunked (oven-sh/bun#10507), so bodies whose length matters are bytes or a Blob: Bun sends those with
 * their Content-Length, and a Blob over a file (node:fs `openAsBlob(path).slice(a, b)`) goes out by
 * sendfile. A Blob assembled from parts is not used: Bun sends only its in-memory parts.
 */
export type Body = Uint8Array | Blob | ReadableStream<Uint8Array> | null

/** Reads `source` into one buffer of `length` bytes (for small bodies that must keep their length). */
export async function collectBytes(source: AsyncIterable<Uint8Array>, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length)
  let at = 0
  for await (const chunk of source) {
    out.set(chunk.subarray(0, length - at), at)
    at += chunk.length
    if (at >= length) break
  }
  return at >= length ? out : out.subarray(0, at)
}

/** Sends `body` with `status` and `headers` through the context (so middleware headers such as CORS stay). */
export function respond(c: { body(data: never, status: never, headers: Record<string, string>): Response }, body: Body, status: number, headers: Record<string, string>): Response {
  return c.body(body as never, status as never, headers)
}
