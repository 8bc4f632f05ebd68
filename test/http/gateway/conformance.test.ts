/**
 * gateway-conformance @22c76440 trustless tests (tests/trustless_gateway_car_test.go, trustless_gateway_raw_test.go)
 * and the optional TestGatewayBlock / TestCodecMismatchReturns406, through the real app. Every CAR case runs
 * twice, with ?format=car and with an Accept header, as the suite's StandardCARTestTransforms does; block lists
 * come from the independent references of test/store/dag/fixtures.ts.
 */
import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import { beforeAll, describe, expect, it } from 'vitest'
import { allFixtures, descendants, exporterCid, exporterPathReads, fixtureRoot, type MemoryBlocks } from '../../store/dag/fixtures.ts'
import { carCids, expectCarHeaders, expectImmutable, gatewayApp, readCar } from './helpers.ts'

let store: MemoryBlocks
let gw: ReturnType<typeof gatewayApp>
const R: Record<string, CID> = {}
const F = {
  two: 'trustless_gateway_car/subdir-with-two-single-block-files.car',
  hamt: 'trustless_gateway_car/single-layer-hamt-with-multi-block-files.car',
  cborDir: 'trustless_gateway_car/dir-with-dag-cbor-with-links.car',
  mixed: 'trustless_gateway_car/subdir-with-mixed-block-files.car',
  missing: 'trustless_gateway_car/file-3k-and-3-blocks-missing-block.car',
  dupDir: 'trustless_gateway_car/dir-with-duplicate-files.car',
  raw: 'gateway-raw-block.car',
  jsonCbor: 'path_gateway_dag/gateway-json-cbor.car',
  dagJson: 'path_gateway_dag/dag-json-traversal.car',
  dagCbor: 'path_gateway_dag/dag-cbor-traversal.car',
}

beforeAll(async () => {
  store = await allFixtures()
  for (const [k, f] of Object.entries(F)) R[k] = await fixtureRoot(f)
  gw = gatewayApp({ blocks: store })
})

const cid = (f: keyof typeof F, ...path: string[]) => exporterCid(store, R[f], path)
const s = async (f: keyof typeof F, ...path: string[]) => (await cid(f, ...path)).toString()
const reads = (f: keyof typeof F, ...path: string[]) => exporterPathReads(store, R[f], path)
const desc = async (f: keyof typeof F, ...path: string[]) => descendants(store, await cid(f, ...path))

/** Runs a CAR request as ?format=car and as Accept: application/vnd.ipld.car; returns both responses. */
async function bothVariants(path: string, query: Record<string, string> = {}): Promise<Response[]> {
  const q = new URLSearchParams(Object.entries(query).sort())
  const withFormat = new URLSearchParams([...q, ['format', 'car']].sort())
  return [await gw.get(`${path}?${withFormat}`), await gw.get(`${path}${q.size ? `?${q}` : ''}`, { Accept: 'application/vnd.ipld.car' })]
}

async function expectBlocks(path: string, query: Record<string, string>, expected: string[], ordered = true) {
  for (const res of await bothVariants(path, query)) {
    expectCarHeaders(res)
    const got = await carCids(res)
    if (ordered) expect(got).toEqual(expected)
    else expect([...got].sort()).toEqual([...expected].sort())
  }
}

describe('TestTrustlessCarPathing', () => {
  it('GET default CAR response with pathing through UnixFS Directory', async () => {
    await expectBlocks(`/ipfs/${R.two}/subdir/ascii.txt`, {}, [R.two.toString(), await s('two', 'subdir'), await s('two', 'subdir', 'ascii.txt')])
  })

  it('GET default CAR response of UnixFS file on a path with HAMT-sharded directory', async () => {
    await expectBlocks(`/ipfs/${R.hamt}/685.txt`, {}, [...(await reads('hamt', '685.txt')), ...(await desc('hamt', '685.txt'))])
  })

  it('GET default CAR response of UnixFS file on a path with DAG-CBOR as root CID', async () => {
    const doc = await cid('cborDir', 'document')
    await expectBlocks(`/ipfs/${doc}/files/single`, {}, [doc.toString(), (await exporterCid(store, doc, ['files', 'single'])).toString()])
  })

  it('GET default CAR response for non-existing file (404, from efficient path checks)', async () => {
    for (const res of await bothVariants(`/ipfs/${R.two}/subdir/i-do-not-exist`)) {
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ error: { code: 'E_DAG_PATH_NOT_FOUND' } })
    }
  })
})

describe('TestTrustlessCarDagScopeBlock', () => {
  it('GET CAR with dag-scope=block of UnixFS directory on a path', async () => {
    await expectBlocks(`/ipfs/${R.two}/subdir`, { 'dag-scope': 'block' }, [R.two.toString(), await s('two', 'subdir')])
  })
  it('GET CAR with dag-scope=block of UnixFS file on a path', async () => {
    await expectBlocks(`/ipfs/${R.two}/subdir/ascii.txt`, { 'dag-scope': 'block' }, await reads('two', 'subdir', 'ascii.txt'))
  })
  it('GET CAR with dag-scope=block of UnixFS file on a path with sharded directory', async () => {
    await expectBlocks(`/ipfs/${R.hamt}/1.txt`, { 'dag-scope': 'block' }, await reads('hamt', '1.txt'))
  })
})

describe('TestTrustlessCarDagScopeEntity', () => {
  let shards: string[]
  beforeAll(async () => {
    shards = []
    const visit = async (c: CID) => {
      for (const l of dagPb.decode((await store.get(c))!).Links) {
        if (l.Name?.length !== 2) continue
        shards.push(l.Hash.toString())
        await visit(CID.asCID(l.Hash)!)
      }
    }
    await visit(R.hamt)
  })
  it('GET CAR with dag-scope=entity of a UnixFS directory', async () => {
    await expectBlocks(`/ipfs/${R.two}`, { 'dag-scope': 'entity' }, [R.two.toString()])
  })
  it('GET CAR with dag-scope=entity of a UnixFS sharded directory', async () => {
    await expectBlocks(`/ipfs/${R.hamt}`, { 'dag-scope': 'entity' }, [R.hamt.toString(), ...shards])
  })
  it('GET CAR with dag-scope=entity of a UnixFS file', async () => {
    await expectBlocks(`/ipfs/${R.mixed}/subdir/ascii.txt`, { 'dag-scope': 'entity' }, [...(await reads('mixed', 'subdir', 'ascii.txt')), ...(await desc('mixed', 'subdir', 'ascii.txt'))])
  })
  it('GET CAR with dag-scope=entity of a chunked UnixFS file', async () => {
    await expectBlocks(`/ipfs/${R.mixed}/subdir/multiblock.txt`, { 'dag-scope': 'entity' }, [
      ...(await reads('mixed', 'subdir', 'multiblock.txt')),
      ...(await desc('mixed', 'subdir', 'multiblock.txt')),
    ])
  })
  it('GET CAR with dag-scope=entity of DAG-CBOR with Links', async () => {
    await expectBlocks(`/ipfs/${R.cborDir}/document`, { 'dag-scope': 'entity' }, [R.cborDir.toString(), await s('cborDir', 'document')])
  })
})

describe('TestTrustlessCarDagScopeAll', () => {
  it('GET CAR with dag-scope=all of UnixFS directory with multiple files', async () => {
    await expectBlocks(`/ipfs/${R.mixed}/subdir`, { 'dag-scope': 'all' }, [R.mixed.toString(), await s('mixed', 'subdir'), ...(await desc('mixed', 'subdir'))])
  })
  it('GET CAR with dag-scope=all of a chunked UnixFS file', async () => {
    await expectBlocks(`/ipfs/${R.mixed}/subdir/multiblock.txt`, { 'dag-scope': 'all' }, [
      ...(await reads('mixed', 'subdir', 'multiblock.txt')),
      ...(await desc('mixed', 'subdir', 'multiblock.txt')),
    ])
  })
})

describe('TestTrustlessCarEntityBytes', () => {
  let mb: string
  let chunks: string[]
  beforeAll(async () => {
    mb = await s('mixed', 'subdir', 'multiblock.txt')
    chunks = await desc('mixed', 'subdir', 'multiblock.txt')
  })
  const range = (value: string) => ({ 'dag-scope': 'entity', 'entity-bytes': value })

  it('succeeds even if the gateway is missing a block after the requested range', async () => {
    await expectBlocks(`/ipfs/${R.missing}`, range('0:1000'), [R.missing.toString(), 'QmPKt7ptM2ZYSGPUc8PmPT2VBkLDK3iqpG9TBJY7PCE9rF'], false)
  })
  it('succeeds even if the gateway is missing a block before the requested range', async () => {
    await expectBlocks(`/ipfs/${R.missing}`, range('2200:*'), [R.missing.toString(), 'QmWXY482zQdwecnfBsj78poUUuPXvyw2JAFAEMw4tzTavV'], false)
  })
  it('GET CAR with entity-bytes of a full UnixFS file', async () => {
    await expectBlocks(`/ipfs/${R.mixed}/subdir/multiblock.txt`, range('0:*'), [...(await reads('mixed', 'subdir', 'multiblock.txt')), ...chunks])
  })
  it('GET CAR with entity-bytes of a UnixFS directory', async () => {
    const [res] = await bothVariants(`/ipfs/${R.hamt}`, { 'dag-scope': 'entity' })
    await expectBlocks(`/ipfs/${R.hamt}`, range('0:*'), await carCids(res))
  })
  it.each([
    ['512:*', [2, 5]],
    ['512:1023', [2, 4]],
    ['512:-256', [2, 4]],
    ['-5:*', [3, 5]],
    ['-9999:*', [0, 5]],
    ['-9999:-3', [0, 4]],
    ['0:0', [0, 1]],
  ] as const)('GET CAR with entity-bytes=%s', async (value, [a, b]) => {
    await expectBlocks(`/ipfs/${mb}`, range(value), [mb, ...chunks.slice(a, b)])
  })
})

describe('TestTrustlessCarOrderAndDuplicates', () => {
  const leaves = [
    'bafkreie5noke3mb7hqxukzcy73nl23k6lxszxi5w3dtmuwz62wnvkpsscm',
    'bafkreih4ephajybraj6wnxsbwjwa77fukurtpl7oj7t7pfq545duhot7cq',
    'bafkreigu7buvm3cfunb35766dn7tmqyh2um62zcio63en2btvxuybgcpue',
    'bafkreicll3huefkc3qnrzeony7zcfo7cr3nbx64hnxrqzsixpceg332fhe',
    'bafkreifst3pqztuvj57lycamoi7z34b4emf7gawxs74nwrc2c7jncmpaqm',
  ]
  const withDups = async () => [R.dupDir.toString(), await s('dupDir', 'ascii.txt'), await s('dupDir', 'ascii-copy.txt'), await s('dupDir', 'hello.txt'), await s('dupDir', 'multiblock.txt'), ...leaves]

  it('GET CAR with order=dfs and dups=y of UnixFS Directory With Duplicate Files', async () => {
    const res = await gw.get(`/ipfs/${R.dupDir}`, { Accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=y' })
    expect(res.headers.get('content-type')).toContain('order=dfs')
    expect(res.headers.get('content-type')).toContain('dups=y')
    expect(await carCids(res)).toEqual(await withDups())
  })

  it('GET CAR with order=dfs and dups=n of UnixFS Directory With Duplicate Files', async () => {
    const res = await gw.get(`/ipfs/${R.dupDir}`, { Accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=n' })
    expect(res.headers.get('content-type')).toContain('order=dfs')
    expect(res.headers.get('content-type')).toContain('dups=n')
    expect(await carCids(res)).toEqual([R.dupDir.toString(), await s('dupDir', 'ascii.txt'), await s('dupDir', 'hello.txt'), await s('dupDir', 'multiblock.txt'), ...leaves])
  })

  it('GET CAR smoke-test with order=unk of UnixFS Directory', async () => {
    const res = await gw.get(`/ipfs/${R.dupDir}`, { Accept: 'application/vnd.ipld.car; version=1; order=unk' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('order=')
    expect(new Set(await carCids(res))).toEqual(new Set(await withDups()))
  })

  it('GET CAR with order=dfs and dups=y of identity CID', async () => {
    const res = await gw.get('/ipfs/bafkqaf3imvwgy3zaneqgc3janfxgy2lomvscay3jmqfa', { Accept: 'application/vnd.ipld.car; dups=y' })
    expect(res.headers.get('content-type')).toContain('dups=y')
    expect(await carCids(res)).toEqual([])
  })

  it('GET CAR with ?format=car respects Accept header order and dups params', async () => {
    const res = await gw.get(`/ipfs/${R.dupDir}?format=car`, { Accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=y' })
    expect(res.headers.get('content-type')).toContain('dups=y')
    expect(await carCids(res)).toEqual(await withDups())
  })

  it('GET CAR with ?car-order=dfs takes precedence over order=unk in Accept', async () => {
    const res = await gw.get(`/ipfs/${R.dupDir}?format=car&car-order=dfs`, { Accept: 'application/vnd.ipld.car; order=unk' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('order=dfs')
  })

  it('GET CAR with ?car-dups=y takes precedence over dups=n in Accept', async () => {
    const res = await gw.get(`/ipfs/${R.dupDir}?format=car&car-dups=y`, { Accept: 'application/vnd.ipld.car; dups=n' })
    expect(res.headers.get('content-type')).toContain('dups=y')
    expect(await carCids(res)).toEqual(await withDups())
  })
})

describe('TestTrustlessCarFormatPrecedence', () => {
  it('GET with format=car query parameter takes precedence over Accept header', async () => {
    const res = await gw.get(`/ipfs/${await s('raw', 'dir')}?format=car`, { Accept: 'application/vnd.ipld.raw' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/vnd.ipld.car')
  })
  it('GET with format=raw query parameter takes precedence over Accept header', async () => {
    const res = await gw.get(`/ipfs/${await s('raw', 'dir')}?format=raw`, { Accept: 'application/vnd.ipld.car' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw')
  })
})

describe('TestTrustlessRaw', () => {
  const block = async (...path: string[]) => (await store.get(await cid('raw', ...path)))!

  it('GET with format=raw param returns a raw block', async () => {
    const res = await gw.get(`/ipfs/${await s('raw', 'dir')}?format=raw`)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(await block('dir')))
  })
  it('GET with application/vnd.ipld.raw header returns a raw block', async () => {
    const res = await gw.get(`/ipfs/${await s('raw', 'dir')}`, { Accept: 'application/vnd.ipld.raw' })
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(await block('dir')))
  })
  it('GET with application/vnd.ipld.raw header returns expected response headers', async () => {
    const res = await gw.get(`/ipfs/${await s('raw', 'dir', 'ascii.txt')}`, { Accept: 'application/vnd.ipld.raw' })
    const bytes = await block('dir', 'ascii.txt')
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    expect(res.headers.get('content-length')).toBe(String(bytes.length))
    expect(res.headers.get('content-disposition')).toContain('attachment;')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(bytes))
  })
  it('GET with application/vnd.ipld.raw header and filename param returns expected Content-Disposition header with custom filename', async () => {
    const res = await gw.get(`/ipfs/${await s('raw', 'dir', 'ascii.txt')}?filename=foobar.bin`, { Accept: 'application/vnd.ipld.raw' })
    expect(res.headers.get('content-disposition')).toContain('attachment;')
    expect(res.headers.get('content-disposition')).toContain('filename="foobar.bin')
  })
  it('GET with application/vnd.ipld.raw header returns expected caching headers', async () => {
    const c = await s('raw', 'dir', 'ascii.txt')
    const res = await gw.get(`/ipfs/${c}`, { Accept: 'application/vnd.ipld.raw' })
    expect(res.headers.get('etag')).toBeTruthy()
    expect(res.headers.get('x-ipfs-path')).toBe(`/ipfs/${c}`)
    expect(res.headers.get('x-ipfs-roots')).toContain(c)
    expectImmutable(res)
  })
})

describe('TestTrustlessRawRanges', () => {
  it('GET with application/vnd.ipld.raw with range request includes correct bytes - single range', async () => {
    const c = await s('raw', 'dir', 'ascii.txt')
    const full = (await store.get(CID.parse(c)))!
    const res = await gw.get(`/ipfs/${c}`, { Accept: 'application/vnd.ipld.raw', Range: 'bytes=7-9' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes 7-9/${full.length}`)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(full.subarray(7, 10)))
  })
  it('GET with application/vnd.ipld.raw with range request includes correct bytes - multi range', async () => {
    const c = await s('raw', 'dir', 'ascii.txt')
    const full = (await store.get(CID.parse(c)))!
    const res = await gw.get(`/ipfs/${c}`, { Accept: 'application/vnd.ipld.raw', Range: 'bytes=7-9,1-3' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-type')).toContain('multipart/byteranges')
    const body = await res.text()
    expect(body).toContain('Content-Type: application/vnd.ipld.raw')
    expect(body).toContain(`Content-Range: bytes 7-9/${full.length}`)
    expect(body).toContain(`Content-Range: bytes 1-3/${full.length}`)
    expect(body).toContain(Buffer.from(full.subarray(7, 10)).toString('latin1'))
    expect(body).toContain(Buffer.from(full.subarray(1, 4)).toString('latin1'))
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(body))
  })
})

describe('TestGatewayBlock (path gateway, raw with a path)', () => {
  it('returns the terminal block of a path for format=raw and for Accept', async () => {
    const dir = (await store.get(await cid('raw', 'dir')))!
    expect(Buffer.from(await (await gw.get(`/ipfs/${R.raw}/dir?format=raw`)).arrayBuffer())).toEqual(Buffer.from(dir))
    expect(Buffer.from(await (await gw.get(`/ipfs/${R.raw}/dir`, { Accept: 'application/vnd.ipld.raw' })).arrayBuffer())).toEqual(Buffer.from(dir))
  })
  it('serves a single range of it', async () => {
    const dir = (await store.get(await cid('raw', 'dir')))!
    const res = await gw.get(`/ipfs/${R.raw}/dir`, { Accept: 'application/vnd.ipld.raw', Range: 'bytes=6-16' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    expect(res.headers.get('content-range')).toBe(`bytes 6-16/${dir.length}`)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from(dir.subarray(6, 17)))
  })
  it('returns the headers, filename and caching headers of a path request', async () => {
    const bytes = (await store.get(await cid('raw', 'dir', 'ascii.txt')))!
    const res = await gw.get(`/ipfs/${R.raw}/dir/ascii.txt?filename=foobar.bin`, { Accept: 'application/vnd.ipld.raw' })
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    expect(res.headers.get('content-length')).toBe(String(bytes.length))
    expect(res.headers.get('content-disposition')).toContain('filename="foobar.bin')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('etag')).toBeTruthy()
    expect(res.headers.get('x-ipfs-path')).toBe(`/ipfs/${R.raw}/dir/ascii.txt`)
    expect(res.headers.get('x-ipfs-roots')).toContain(R.raw.toString())
    expectImmutable(res)
  })
})

describe('TestCodecMismatchReturns406', () => {
  it('answers 406 to a codec the block does not have, and never converts', async () => {
    const file = await exporterCid(store, R.jsonCbor, ['ą', 'ę', 'file-źł.txt'])
    const cases: [string, Record<string, string>][] = [
      [`/ipfs/${file}?format=dag-json`, {}],
      [`/ipfs/${file}?format=dag-cbor`, {}],
      [`/ipfs/${file}`, { Accept: 'application/vnd.ipld.dag-json' }],
      [`/ipfs/${R.dagJson}?format=dag-cbor`, {}],
      [`/ipfs/${R.dagCbor}?format=dag-json`, {}],
      [`/ipfs/${R.dagCbor}`, { Accept: 'application/vnd.ipld.dag-json' }],
    ]
    for (const [path, headers] of cases) {
      const res = await gw.get(path, headers)
      expect(res.status, path).toBe(406)
      expect(await res.json()).toMatchObject({ error: { code: 'E_GATEWAY_NOT_ACCEPTABLE' } })
    }
  })
  it('serves the block itself when the codec matches', async () => {
    const res = await gw.get(`/ipfs/${R.dagCbor}?format=dag-cbor`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.ipld.dag-cbor')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(Buffer.from((await store.get(R.dagCbor))!))
  })
})

describe('probe paths (trustless gateway appendix)', () => {
  it('answers GET /ipfs/bafkqaaa?format=raw with 200 and an empty body', async () => {
    const res = await gw.get('/ipfs/bafkqaaa?format=raw')
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBe(0)
  })
  it('answers GET /ipfs/bafkqaaa?format=car with a CAR rooted at bafkqaaa', async () => {
    const res = await gw.get('/ipfs/bafkqaaa?format=car')
    expectCarHeaders(res)
    const car = await readCar(res)
    expect(car.roots.map(String)).toEqual(['bafkqaaa'])
    expect(car.blocks).toEqual([])
  })
  it('answers HEAD /ipfs/bafkqaaa with 200 and no Accept at all', async () => {
    const res = await gw.get('/ipfs/bafkqaaa', {}, 'HEAD')
    expect(res.status).toBe(200)
    expect(res.body).toBeNull()
  })
})
