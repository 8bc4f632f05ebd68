/**
 * The ceiling for bench/rpc.ts: a bare Bun.serve that parses JSON-RPC and answers Filecoin.Version with the
 * same JSON petal returns, over HTTP and websocket, with nothing else (no routing, auth, metrics).
 * Usage: bun bench/lib/bare-rpc-server.ts <version-result-json>; prints the port on stdout.
 */
const result = JSON.parse(process.argv[2] ?? '{"Version":"x","APIVersion":65536,"BlockDelay":30}')
const answer = (msg: { id: unknown }) => ({ jsonrpc: '2.0', id: msg.id, result })
const respond = (text: string) => {
  const msg = JSON.parse(text)
  return JSON.stringify(Array.isArray(msg) ? msg.map(answer) : answer(msg))
}

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(req, srv) {
    if (req.method === 'GET' && srv.upgrade(req)) return undefined as unknown as Response
    return new Response(respond(await req.text()), { headers: { 'content-type': 'application/json' } })
  },
  websocket: {
    message(ws, data) {
      ws.send(respond(String(data)))
    },
  },
})
process.stdout.write(`${server.port}\n`)
