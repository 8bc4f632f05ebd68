/** `/piece/{cid}`: bytes, Range (206, multipart, 416), conditional requests, v1 and v2 piece CIDs. */
import { CID } from 'multiformats/cid'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PieceSource } from '../../../src/http/gateway/index.ts'
import { gatewayApp } from './helpers.ts'

// 1 MiB of i % 251: its piece CIDs as data-segment and the wasm hasher compute them (notes §4.5).
const V1 = 'baga6ea4seaqf6dw7bhx3c65s4nepiic2qtgzdfyywllbkmiz6vbchd2m3oboshi'
const V2 = 'bafkzcibeqcad6ec7b3pqt35rpozogshuebnijtmrs4mlfvqvgem7kqrdr5gnxaxjdu'
const BYTES = new Uint8Array(1 << 20).map((_, i) => i % 251)

/** Serves BYTES for V1 in 64 KiB chunks and records what it was asked. */
function memoryPieces() {
  const calls: string[] = []
  const source: PieceSource = {
    async stat(cid) {
      calls.push(`stat ${cid}`)
      return cid.toString() === V1 ? { size: BYTES.length } : undefined
    },
    async *read(cid, offset, length) {
      calls.push(`read ${cid} ${offset} ${length}`)
      for (let o = offset; o < offset + length; o += 65536) yield BYTES.slice(o, Math.min(offset + length, o + 65536))
    },
  }
  return { source, calls }
}

let gw: ReturnType<typeof gatewayApp>
let calls: string[]
beforeAll(() => {
  const m = memoryPieces()
  calls = m.calls
  gw = gatewayApp({ pieces: m.source })
})

const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer())

describe('/piece/{cid}', () => {
  it('serves the whole piece with application/piece, a strong Etag and immutable caching', async () => {
    const res = await gw.get(`/piece/${V1}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/piece')
    expect(res.headers.get('content-length')).toBe(String(BYTES.length))
    expect(res.headers.get('etag')).toBe(`"${V1}"`)
    expect(res.headers.get('cache-control')).toBe('public, max-age=29030400, immutable')
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(res.headers.get('content-encoding')).toBeNull()
    expect((await bytesOf(res)).equals(Buffer.from(BYTES))).toBe(true)
  })

  it('accepts a v2 piece CID and asks the source by its v1 CID', async () => {
    calls.length = 0
    const res = await gw.get(`/piece/${V2}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('etag')).toBe(`"${V2}"`)
    expect((await bytesOf(res)).equals(Buffer.from(BYTES))).toBe(true)
    expect(calls).toEqual([`stat ${V1}`, `read ${V1} 0 ${BYTES.length}`])
  })

  it('answers 400 for CIDs that are not piece CIDs and 404 for pieces not held', async () => {
    for (const bad of ['nope', 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy', 'bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa']) {
      const res = await gw.get(`/piece/${bad}`)
      expect(res.status, bad).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'E_GATEWAY_BAD_PIECE_CID' } })
    }
    const other = CID.parse(V1)
    const digest = new Uint8Array(other.multihash.bytes)
    digest[digest.length - 1] ^= 1
    const res = await gw.get(`/piece/${CID.decode(new Uint8Array([...other.bytes.subarray(0, other.bytes.length - digest.length), ...digest]))}`)
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'E_GATEWAY_PIECE_NOT_FOUND' } })
  })

  it('serves one range with 206 and Content-Range, reading only that range', async () => {
    for (const [range, start, end] of [
      ['bytes=0-99', 0, 99],
      ['bytes=1000000-', 1000000, BYTES.length - 1],
      ['bytes=-100', BYTES.length - 100, BYTES.length - 1],
      ['bytes=500000-9999999', 500000, BYTES.length - 1],
    ] as const) {
      calls.length = 0
      const res = await gw.get(`/piece/${V1}`, { Range: range })
      expect(res.status, range).toBe(206)
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${BYTES.length}`)
      expect(res.headers.get('content-length')).toBe(String(end - start + 1))
      expect((await bytesOf(res)).equals(Buffer.from(BYTES.subarray(start, end + 1)))).toBe(true)
      expect(calls.at(-1)).toBe(`read ${V1} ${start} ${end - start + 1}`)
    }
  })

  it('serves several ranges as multipart/byteranges with an exact length', async () => {
    const res = await gw.get(`/piece/${V1}`, { Range: 'bytes=0-9, 100-109,-5' })
    expect(res.status).toBe(206)
    const type = res.headers.get('content-type')!
    expect(type).toMatch(/^multipart\/byteranges; boundary=/)
    const boundary = type.split('boundary=')[1]
    const body = await bytesOf(res)
    expect(res.headers.get('content-length')).toBe(String(body.length))
    const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1)
    const want = [
      [0, 9],
      [100, 109],
      [BYTES.length - 5, BYTES.length - 1],
    ]
    expect(parts).toHaveLength(3)
    parts.forEach((p, i) => {
      const [head, data] = p.split('\r\n\r\n')
      expect(head).toContain('Content-Type: application/piece')
      expect(head).toContain(`Content-Range: bytes ${want[i][0]}-${want[i][1]}/${BYTES.length}`)
      expect(Buffer.from(data.replace(/\r\n$/, ''), 'latin1').equals(Buffer.from(BYTES.subarray(want[i][0], want[i][1] + 1)))).toBe(true)
    })
  })

  it('answers 416 with the size when no range overlaps', async () => {
    const res = await gw.get(`/piece/${V1}`, { Range: `bytes=${BYTES.length}-` })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe(`bytes */${BYTES.length}`)
    expect(await res.json()).toMatchObject({ error: { code: 'E_GATEWAY_RANGE_NOT_SATISFIABLE' } })
  })

  it('honours If-None-Match (304) and If-Range (stale Etag: the whole piece)', async () => {
    expect((await gw.get(`/piece/${V1}`, { 'If-None-Match': `"${V1}"` })).status).toBe(304)
    expect((await gw.get(`/piece/${V1}`, { Range: 'bytes=0-9', 'If-Range': `"${V1}"` })).status).toBe(206)
    const stale = await gw.get(`/piece/${V1}`, { Range: 'bytes=0-9', 'If-Range': '"something-else"' })
    expect(stale.status).toBe(200)
    expect(stale.headers.get('content-length')).toBe(String(BYTES.length))
  })

  it('answers HEAD with the headers and no body, without reading the piece', async () => {
    calls.length = 0
    const res = await gw.get(`/piece/${V1}`, {}, 'HEAD')
    expect(res.status).toBe(200)
    expect(res.body).toBeNull()
    expect(res.headers.get('content-length')).toBe(String(BYTES.length))
    expect(calls).toEqual([`stat ${V1}`])
  })

  it('answers 405 to other methods and records the /piece/:cid route', async () => {
    const res = await gw.get(`/piece/${V1}`, {}, 'DELETE')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
    expect(gw.metrics.render()).toMatch(/route="\/piece\/:cid"/)
  })
})
