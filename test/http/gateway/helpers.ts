/** Test helpers: the real app (createApp) with the gateway mounted, and a strict CAR response parser. */
import { CarReader } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { expect } from 'vitest'
import { createApp } from '../../../src/http/app.ts'
import { createTokenAuthority } from '../../../src/http/auth/jwt.ts'
import { mountGateway, type GatewayOptions } from '../../../src/http/gateway/index.ts'
import { MetricsRegistry } from '../../../src/http/metrics.ts'
import { RpcRegistry } from '../../../src/http/rpc/index.ts'
import { verifyBlock, type Block } from '../../../src/store/dag/index.ts'

export const tokens = createTokenAuthority(Buffer.alloc(32, 7))

/** The node's app with the gateway routes mounted, as the node will wire it. */
export function gatewayApp(opts: GatewayOptions) {
  const metrics = new MetricsRegistry()
  const { app } = createApp({
    registry: new RpcRegistry(),
    tokens,
    metrics,
    anonymousPerms: [],
    maxBodyBytes: 1 << 20,
    requestTimeoutMs: 1000,
    ready: () => true,
    shuttingDown: () => false,
    shutdownSignal: new AbortController().signal,
    mount: (a) => mountGateway(a, opts),
  })
  return { app, metrics, get: (path: string, headers: Record<string, string> = {}, method = 'GET') => app.request(`http://gw.test${path}`, { method, headers }) }
}

/**
 * Parses a CAR body as go-car v0 `NewCarReader` does in the conformance harness: CARv1, non-empty roots,
 * every block re-hashed. Returns the blocks in order (duplicates kept).
 */
export async function readCar(res: Response): Promise<{ roots: CID[]; blocks: Block[] }> {
  const reader = await CarReader.fromBytes(new Uint8Array(await res.arrayBuffer()))
  expect(reader.version).toBe(1)
  const roots = (await reader.getRoots()).map((r) => CID.asCID(r)!)
  expect(roots.length).toBeGreaterThan(0)
  const blocks: Block[] = []
  for await (const b of reader.blocks()) {
    const cid = CID.asCID(b.cid)!
    verifyBlock(cid, b.bytes)
    blocks.push({ cid, bytes: b.bytes })
  }
  return { roots, blocks }
}

/** The CIDs of a CAR response, as strings, in order. */
export async function carCids(res: Response): Promise<string[]> {
  return (await readCar(res)).blocks.map((b) => b.cid.toString())
}

/** The headers every 200 CAR response must carry (the suite's StandardCARTestTransforms). */
export function expectCarHeaders(res: Response): void {
  expect(res.status).toBe(200)
  expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  expect(res.headers.get('accept-ranges')).toBe('none')
  expect(res.headers.get('content-type')).toContain('application/vnd.ipld.car')
  expect(res.headers.get('content-type')).toContain('version=1')
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.car"$/)
  expect(res.headers.get('etag') ?? '').not.toBe('')
  expect(res.headers.get('content-encoding')).toBeNull()
  expectImmutable(res)
}

/** Cache-Control parsed as the suite does: public, immutable, max-age ≥ 29030400. */
export function expectImmutable(res: Response): void {
  const dirs = new Map<string, string | undefined>((res.headers.get('cache-control') ?? '').replace(/ /g, '').split(',').map((d) => { const [k, v] = d.split('='); return [k, v] }))
  expect(dirs.has('public')).toBe(true)
  expect(dirs.has('immutable')).toBe(true)
  expect(Number(dirs.get('max-age'))).toBeGreaterThanOrEqual(29030400)
}
