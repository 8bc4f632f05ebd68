/** The one place an AsyncIterable of bytes becomes a response body (the HTTP edge). */

/**
 * A response body streaming `source`. Bun.serve takes an async iterable body and writes each chunk to the
 * socket as it comes (about twice the rate of a pull-driven ReadableStream, which adds a promise round
 * trip and a queue per chunk: bench/gateway.ts); it pulls the next chunk only when the socket has taken
 * the last one, so a slow client slows the source. When the client goes away Bun stops iterating, which
 * runs the source's `finally` blocks. An error mid-stream cuts the connection (the client sees an
 * incomplete response rather than a clean end) and is reported to `onError`.
 */
export function streamBody(source: AsyncIterable<Uint8Array>, onError?: (err: unknown) => void): AsyncIterable<Uint8Array> {
  return (async function* () {
    try {
      yield* source
    } catch (err) {
      onError?.(err)
      throw err
    }
  })()
}

/**
 * A response body for Hono's `c.body`: bytes, a file-backed Blob, a stream, or nothing (HEAD, 304).
 * Bun.serve drops a declared Content-Length for a streamed body that is still producing and sends it
 * chunked (oven-sh/bun#10507), so bodies whose length matters are bytes or a Blob: Bun sends those with
 * their Content-Length, and a Blob over a file (node:fs `openAsBlob(path).slice(a, b)`) goes out by
 * sendfile. A Blob assembled from parts is not used: Bun sends only its in-memory parts.
 */
export type Body = Uint8Array | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null

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
