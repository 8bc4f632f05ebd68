/** Status codes, headers and streaming behaviour of /ipfs/… beyond the conformance cases. */
import { CID } from 'multiformats/cid'
import { beforeAll, describe, expect, it } from 'vitest'
import { bearerAuth } from '../../../src/http/app.ts'
import { toGatewayPath } from '../../../src/http/gateway/index.ts'
import { traverseDag, verifyDag } from '../../../src/store/dag/index.ts'
import { allFixtures, collect, exporterCid, fixtureRoot, type MemoryBlocks } from '../../store/dag/fixtures.ts'
import { carCids, gatewayApp, readCar, tokens } from './helpers.ts'

let store: MemoryBlocks
let gw: ReturnType<typeof gatewayApp>
let mixed: CID
let missing: CID
let file: CID

beforeAll(async () => {
  store = await allFixtures()
  gw = gatewayApp({ blocks: store })
  mixed = await fixtureRoot('trustless_gateway_car/subdir-with-mixed-block-files.car')
  missing = await fixtureRoot('trustless_gateway_car/file-3k-and-3-blocks-missing-block.car')
  file = await exporterCid(store, mixed, ['subdir', 'multiblock.txt'])
})

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status)
  expect(await res.json()).toMatchObject({ error: { code } })
}

describe('status codes', () => {
  it('answers 400 for an invalid CID and for /ipfs/ without one', async () => {
    await expectError(await gw.get('/ipfs/not-a-cid?format=raw'), 400, 'E_GATEWAY_BAD_CID')
    await expectError(await gw.get('/ipfs/?format=raw'), 400, 'E_GATEWAY_BAD_REQUEST')
    await expectError(await gw.get('/ipfs?format=raw'), 400, 'E_GATEWAY_BAD_REQUEST')
  })

  it('answers 400 when neither format nor Accept names a response (strict trustless mode)', async () => {
    await expectError(await gw.get(`/ipfs/${mixed}`), 400, 'E_GATEWAY_BAD_REQUEST')
  })

  it('answers 400 for invalid format, dag-scope, entity-bytes, car-* and filename values', async () => {
    for (const q of ['format=tar', 'format=ipns-record', 'format=car&dag-scope=everything', 'format=car&entity-bytes=1:x', 'format=car&entity-bytes=9:3', 'format=car&car-dups=maybe', 'format=car&car-order=bfs', 'format=car&car-version=2', 'format=car&filename=x.bin', 'format=raw&filename=x.car', 'format=raw&filename=noext']) {
      const res = await gw.get(`/ipfs/${mixed}?${q}`)
      expect(res.status, q).toBe(400)
    }
    await expectError(await gw.get(`/ipfs/${mixed}/%E0%A4%A?format=car`), 400, 'E_GATEWAY_BAD_REQUEST')
  })

  it('answers 400 for entity-bytes wholly outside a file, known before streaming', async () => {
    await expectError(await gw.get(`/ipfs/${file}?format=car&entity-bytes=2000:*`), 400, 'E_GATEWAY_ENTITY_BYTES_OUTSIDE')
    await expectError(await gw.get(`/ipfs/${file}?format=car&entity-bytes=0:-2000`), 400, 'E_GATEWAY_ENTITY_BYTES_OUTSIDE')
    // Not a byte array: the range is ignored.
    expect((await gw.get(`/ipfs/${mixed}?format=car&entity-bytes=2000:*`)).status).toBe(200)
  })

  it('answers 404 when the root block is not held, for GET raw, GET CAR and HEAD', async () => {
    const absent = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    await expectError(await gw.get(`/ipfs/${absent}?format=raw`), 404, 'E_DAG_BLOCK_NOT_FOUND')
    await expectError(await gw.get(`/ipfs/${absent}?format=car`), 404, 'E_DAG_BLOCK_NOT_FOUND')
    expect((await gw.get(`/ipfs/${absent}?format=car`, {}, 'HEAD')).status).toBe(404)
  })

  it('answers 406 when Accept names nothing servable', async () => {
    await expectError(await gw.get(`/ipfs/${mixed}`, { Accept: 'text/html' }), 406, 'E_GATEWAY_NOT_ACCEPTABLE')
    await expectError(await gw.get(`/ipfs/${mixed}`, { Accept: 'application/vnd.ipld.car; version=2' }), 406, 'E_GATEWAY_NOT_ACCEPTABLE')
    await expectError(await gw.get(`/ipfs/${mixed}`, { Accept: 'application/vnd.ipld.car; q=0' }), 406, 'E_GATEWAY_NOT_ACCEPTABLE')
  })

  it('answers 412 to only-if-cached when the root is not held, and checks only the root for HEAD', async () => {
    const absent = CID.parse('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    await expectError(await gw.get(`/ipfs/${absent}?format=car`, { 'Cache-Control': 'only-if-cached' }), 412, 'E_GATEWAY_NOT_CACHED')
    const before = store.gets.length
    const head = await gw.get(`/ipfs/${mixed}/subdir?format=car`, { 'Cache-Control': 'max-age=0, only-if-cached' }, 'HEAD')
    expect(head.status).toBe(200)
    expect(store.gets.length).toBe(before)
    expect((await gw.get('/ipfs/bafkqaaa?format=raw', { 'Cache-Control': 'only-if-cached' })).status).toBe(200)
  })

  it('answers 405 with Allow for other methods, and OPTIONS with 204 and the allowed methods', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await gw.get(`/ipfs/${mixed}?format=car`, {}, method)
      await expectError(res, 405, 'E_GATEWAY_METHOD_NOT_ALLOWED')
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    }
    const options = await gw.get(`/ipfs/${mixed}`, {}, 'OPTIONS')
    expect(options.status).toBe(204)
    expect(options.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS')
  })

  it('answers 501 for /ipns/ and for a DAG-CBOR path ending inside a block', async () => {
    await expectError(await gw.get('/ipns/example.com?format=car'), 501, 'E_GATEWAY_IPNS_UNSUPPORTED')
    const cbor = await fixtureRoot('path_gateway_dag/dag-cbor-traversal.car')
    await expectError(await gw.get(`/ipfs/${cbor}/foo/object?format=car`), 501, 'E_DAG_PATH_UNSUPPORTED')
  })

  it('answers 304 to a matching If-None-Match, for CAR and raw', async () => {
    const car = await gw.get(`/ipfs/${mixed}?format=car`)
    const etag = car.headers.get('etag')!
    const again = await gw.get(`/ipfs/${mixed}?format=car`, { 'If-None-Match': `"other", ${etag}` })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    const raw = await gw.get(`/ipfs/${mixed}?format=raw`)
    expect((await gw.get(`/ipfs/${mixed}?format=raw`, { 'If-None-Match': raw.headers.get('etag')! })).status).toBe(304)
  })

  it('answers 416 with Content-Range for a raw range past the end, and ignores a malformed Range', async () => {
    const res = await gw.get(`/ipfs/${file}?format=raw`, { Range: 'bytes=9999-' })
    await expectError(res, 416, 'E_GATEWAY_RANGE_NOT_SATISFIABLE')
    expect(res.headers.get('content-range')).toMatch(/^bytes \*\/\d+$/)
    expect((await gw.get(`/ipfs/${file}?format=raw`, { Range: 'bytes=a-b' })).status).toBe(200)
    expect((await gw.get(`/ipfs/${file}?format=raw`, { Range: 'bytes=5-1' })).status).toBe(200)
  })
})

describe('headers', () => {
  it('gives each CAR variant its own Etag (path, scope, range, dups)', async () => {
    const tags = new Set<string>()
    for (const q of ['format=car', 'format=car&dag-scope=entity', 'format=car&dag-scope=block', 'format=car&entity-bytes=0:10', 'format=car&car-dups=y']) {
      tags.add((await gw.get(`/ipfs/${file}?${q}`)).headers.get('etag')!)
    }
    tags.add((await gw.get(`/ipfs/${mixed}/subdir?format=car`)).headers.get('etag')!)
    tags.add((await gw.get(`/ipfs/${file}?format=raw`)).headers.get('etag')!)
    expect(tags.size).toBe(7)
  })

  it('defaults to dups=n and says so, with order=dfs and version=1', async () => {
    expect((await gw.get(`/ipfs/${mixed}?format=car`)).headers.get('content-type')).toBe('application/vnd.ipld.car; version=1; order=dfs; dups=n')
  })

  it('lists every path segment in X-Ipfs-Roots and the requested path in X-Ipfs-Path', async () => {
    const res = await gw.get(`/ipfs/${mixed}/subdir/multiblock.txt?format=car`)
    expect(res.headers.get('x-ipfs-roots')).toBe([mixed, await exporterCid(store, mixed, ['subdir']), file].join(','))
    expect(res.headers.get('x-ipfs-path')).toBe(`/ipfs/${mixed}/subdir/multiblock.txt`)
  })

  it('sends Content-Location when the format came from Accept, and not when the URL already says it all', async () => {
    const res = await gw.get(`/ipfs/${mixed}`, { Accept: 'application/vnd.ipld.car; dups=y' })
    expect(res.headers.get('content-location')).toBe(`/ipfs/${mixed}?format=car&car-dups=y&car-version=1&car-order=dfs`)
    expect((await gw.get(`/ipfs/${mixed}`, { Accept: 'application/vnd.ipld.raw' })).headers.get('content-location')).toBe(`/ipfs/${mixed}?format=raw`)
    expect((await gw.get(`/ipfs/${mixed}?format=car`)).headers.get('content-location')).toBeNull()
  })

  it('picks the highest-q Accept entry, skipping unsupported ones', async () => {
    const res = await gw.get(`/ipfs/${mixed}`, { Accept: 'text/html, application/vnd.ipld.raw;q=0.5, application/vnd.ipld.car;q=0.9' })
    expect(res.headers.get('content-type')).toContain('application/vnd.ipld.car')
    const raw = await gw.get(`/ipfs/${mixed}`, { Accept: 'application/vnd.ipld.car;order=foo, application/vnd.ipld.raw;q=0.1' })
    expect(raw.headers.get('content-type')).toBe('application/vnd.ipld.raw')
  })

  it('answers HEAD with the GET headers and no body', async () => {
    const get = await gw.get(`/ipfs/${file}?format=raw`)
    const head = await gw.get(`/ipfs/${file}?format=raw`, {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.body).toBeNull()
    for (const h of ['content-type', 'content-length', 'etag', 'x-ipfs-roots', 'cache-control']) expect(head.headers.get(h)).toBe(get.headers.get(h))
    const headCar = await gw.get(`/ipfs/${mixed}/subdir?format=car`, {}, 'HEAD')
    expect(headCar.headers.get('content-type')).toContain('application/vnd.ipld.car')
    expect(headCar.body).toBeNull()
  })

  it('sends CORS headers and answers preflights', async () => {
    const res = await gw.get(`/ipfs/${file}?format=raw`, { Origin: 'https://example.com' })
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Ipfs-Roots')
    const pre = await gw.get(`/ipfs/${file}`, { Origin: 'https://example.com', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' }, 'OPTIONS')
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-methods')).toContain('GET')
    expect(pre.headers.get('access-control-allow-headers')).toContain('range')
    const err = await gw.get('/ipfs/nope?format=raw', { Origin: 'https://example.com' })
    expect(err.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('records per-route metrics under stable route patterns', async () => {
    await gw.get(`/ipfs/${file}?format=raw`)
    await gw.get(`/ipfs/${mixed}/subdir?format=car`)
    const text = gw.metrics.render()
    expect(text).toMatch(/petal_http_requests_total\{[^}]*route="\/ipfs\/:cid"/)
    expect(text).toMatch(/petal_http_requests_total\{[^}]*route="\/ipfs\/:cid\/\*"/)
    expect(text).not.toContain(file.toString())
  })
})

describe('streaming', () => {
  it('cuts the stream (no clean end) when a block is missing after the headers went out', async () => {
    const res = await gw.get(`/ipfs/${missing}?format=car`)
    expect(res.status).toBe(200)
    await expect(res.arrayBuffer()).rejects.toMatchObject({ code: 'E_DAG_BLOCK_NOT_FOUND' })
  })

  it('hash-checks blocks before sending them unless told the source verifies', async () => {
    const bad = store.clone()
    const leaf = CID.parse('bafkreie5noke3mb7hqxukzcy73nl23k6lxszxi5w3dtmuwz62wnvkpsscm')
    bad.put(leaf, new Uint8Array(256))
    const checked = gatewayApp({ blocks: bad })
    await expectError(await checked.get(`/ipfs/${leaf}?format=raw`), 500, 'E_DAG_HASH_MISMATCH')
    await expect((await checked.get(`/ipfs/${file}?format=car`)).arrayBuffer()).rejects.toMatchObject({ code: 'E_DAG_HASH_MISMATCH' })
    const trusting = gatewayApp({ blocks: bad, verifyBlocks: false })
    expect((await trusting.get(`/ipfs/${leaf}?format=raw`)).status).toBe(200)
  })

  it('stops a CAR at maxBlocks', async () => {
    const limited = gatewayApp({ blocks: store, maxBlocks: 3 })
    await expect((await limited.get(`/ipfs/${file}?format=car`)).arrayBuffer()).rejects.toMatchObject({ code: 'E_DAG_TOO_MANY_BLOCKS' })
  })

  it('gives the client side a path it can verify: toGatewayPath + verifyDag over the response', async () => {
    const hamt = await fixtureRoot('trustless_gateway_car/single-layer-hamt-with-multi-block-files.car')
    for (const request of [
      { root: hamt, path: ['685.txt'], dups: true },
      { root: file, entityBytes: { from: 300, to: -300 } },
      { root: mixed, scope: 'entity' as const },
    ]) {
      const res = await gw.get(toGatewayPath(request))
      expect(res.status).toBe(200)
      const { blocks } = await readCar(res)
      const verified = await collect(verifyDag(request, (async function* () { yield* blocks })()))
      expect(verified.map(String)).toEqual((await collect(traverseDag(store, request))).map(String))
    }
    expect(toGatewayPath({ root: file, path: ['a b', 'ü'], entityBytes: { from: -5, to: '*' }, dups: true })).toBe(
      `/ipfs/${file}/a%20b/%C3%BC?format=car&dag-scope=entity&entity-bytes=-5:*&car-dups=y&car-order=dfs`,
    )
  })
})

describe('authorization', () => {
  it('runs the authorize hook on gateway routes (401 without a token) but not on preflights', async () => {
    const locked = gatewayApp({ blocks: store, authorize: bearerAuth({ tokens, anonymousPerms: [] }) })
    const res = await locked.get(`/ipfs/${file}?format=raw`)
    expect(res.status).toBe(401)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect((await locked.get(`/ipfs/${file}?format=raw`, { Authorization: `Bearer ${tokens.sign(['read'])}` })).status).toBe(200)
    expect((await locked.get(`/ipfs/${file}`, { Origin: 'https://x', 'Access-Control-Request-Method': 'GET' }, 'OPTIONS')).status).toBe(204)
    expect(await carCids(await locked.get(`/ipfs/${file}?format=car&token=${tokens.sign(['read'])}`))).toHaveLength(6)
  })
})

