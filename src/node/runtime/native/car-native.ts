/**
 * The native CAR kernels: libpetal's section scanner (index building) and CARv2 index encoder behind the
 * store's `CarNative` interface. Bounds are checked here before every call (C trusts its arguments); a
 * failure status from C becomes `E_NATIVE_CALL_FAILED`, and an input the encoder declines goes back to the
 * TypeScript encoder.
 */
import type { Library } from 'bun:ffi'
import type { CarIndexColumns, CarIndexTable, CarNative, PutSectionsResult } from '../../../store/car/native.ts'
import { checkStatus, PETAL_EUNSUPPORTED } from './abi.ts'
import { CAR_SYMBOLS } from './car-abi.ts'
import { openNativeLibrary } from './library.ts'

type CarLibrary = Library<typeof CAR_SYMBOLS>

/** Opens libpetal and wraps its CAR functions; throws `E_NATIVE_UNAVAILABLE` when it cannot be used. */
export function openCarNative(): CarNative {
  const { library, path } = openNativeLibrary(CAR_SYMBOLS)
  return wrap(library, path)
}

function wrap(library: CarLibrary, path: string): CarNative {
  const s = library.symbols
  const io = new BigUint64Array(3)
  const size = new BigUint64Array(1)
  const putIo = new BigUint64Array(6)
  return {
    library: path,
    scanSections(buf: Uint8Array, start: number, end: number, offset: number, maxSection: number, flags: number, c: CarIndexColumns): number {
      if (!(start >= 0 && start < end && end <= buf.length)) throw new RangeError(`scan window [${start}, ${end}) outside a buffer of ${buf.length}`)
      const cap = Math.min(c.offsets.length, c.sizes.length, c.keyStarts.length - 1)
      if (c.count > cap || c.poolUsed > c.pool.length || c.keyStarts[c.count] !== c.poolUsed) throw new RangeError('index columns are inconsistent')
      io[0] = BigInt(c.count)
      io[1] = BigInt(c.poolUsed)
      const window = buf.subarray(start, end)
      const poolCap = Math.min(c.pool.length, 0xffffffff)
      checkStatus('petal_car_scan', s.petal_car_scan(window, window.length, offset, Math.min(maxSection, 0xffffffff), flags, c.pool, poolCap, c.keyStarts, c.offsets, c.sizes, cap, io))
      c.count = Number(io[0])
      c.poolUsed = Number(io[1])
      return Number(io[2])
    },
    encodeIndex(pool: Uint8Array, keyStarts: Uint32Array, offsets: Float64Array, count: number, codec: number, digestKeys: boolean): Uint8Array | undefined {
      // Key starts only grow (CarIndex keeps them so): the last one inside the pool bounds them all.
      if (keyStarts.length < count + 1 || offsets.length < count || keyStarts[count] > pool.length) throw new RangeError('index columns are inconsistent')
      const status = s.petal_car_index_size(pool, keyStarts, count, codec, digestKeys ? 1 : 0, size)
      if (status === PETAL_EUNSUPPORTED) return undefined
      checkStatus('petal_car_index_size', status)
      const out = new Uint8Array(Number(size[0]))
      checkStatus('petal_car_index_encode', s.petal_car_index_encode(pool, keyStarts, offsets, count, codec, digestKeys ? 1 : 0, out, out.length))
      return out
    },
    readIndexEntries(buf: Uint8Array, at: number, width: number, n: number, prefix: Uint8Array, prev: Uint8Array | undefined, c: CarIndexColumns): number {
      if (!(width >= 8 && at >= 0 && n >= 0 && at + n * width <= buf.length) || (prev !== undefined && prev.length < width - 8)) throw new RangeError('index bucket outside the buffer')
      const cap = Math.min(c.offsets.length, c.sizes.length, c.keyStarts.length - 1)
      if (c.count > cap || c.poolUsed > c.pool.length || c.keyStarts[c.count] !== c.poolUsed) throw new RangeError('index columns are inconsistent')
      if (n === 0) return 0
      io[0] = BigInt(c.count)
      io[1] = BigInt(c.poolUsed)
      const entries = buf.subarray(at, at + n * width)
      const before = prev ?? entries // any non-null pointer when there is no previous digest
      const status = s.petal_car_index_entries(entries, n, width, prefix.length > 0 ? prefix : entries, prefix.length, before, prev === undefined ? 0 : 1, c.pool, Math.min(c.pool.length, 0xffffffff), c.keyStarts, c.offsets, c.sizes, cap, io)
      checkStatus('petal_car_index_entries', status)
      c.count = Number(io[0])
      c.poolUsed = Number(io[1])
      return Number(io[2])
    },
    buildTable(t: CarIndexTable): void {
      const cap = Math.min(t.keyStarts.length - 1, t.hashes.length, t.next.length, t.last.length)
      const slotCount = t.slots.length >> 1
      if (t.count > cap || t.keyStarts[t.count] > t.pool.length || slotCount === 0 || (slotCount & (slotCount - 1)) !== 0 || t.count * 2 > slotCount) {
        throw new RangeError('index table is inconsistent')
      }
      checkStatus('petal_car_index_build', s.petal_car_index_build(t.pool, t.pool.length, t.keyStarts, t.count, t.seed >>> 0, t.hashes, t.next, t.last, t.slots, slotCount, size))
      t.distinct = Number(size[0])
    },
    sha256(bytes: Uint8Array): Uint8Array {
      const out = new Uint8Array(32)
      checkStatus('petal_sha256', s.petal_sha256(bytes, bytes.length, out))
      return out
    },
    putSections(buf: Uint8Array, len: number, offset: number, t: CarIndexTable): PutSectionsResult {
      if (!(len >= 0 && len <= buf.length)) throw new RangeError(`batch of ${len} bytes outside a buffer of ${buf.length}`)
      const cap = Math.min(t.offsets.length, t.sizes.length, t.keyStarts.length - 1, t.hashes.length, t.next.length, t.last.length)
      const slotCount = t.slots.length >> 1
      const consistent = t.count <= cap && t.poolUsed <= t.pool.length && t.keyStarts[t.count] === t.poolUsed && t.distinct <= t.count
      if (!consistent || slotCount === 0 || (slotCount & (slotCount - 1)) !== 0) throw new RangeError('index table is inconsistent')
      putIo[0] = BigInt(t.count)
      putIo[1] = BigInt(t.poolUsed)
      putIo[2] = BigInt(t.distinct)
      const poolCap = Math.min(t.pool.length, 0xffffffff)
      const status = s.petal_car_put_sections(buf, len, offset, t.seed >>> 0, t.pool, poolCap, t.keyStarts, t.offsets, t.sizes, t.hashes, t.next, t.last, cap, t.slots, slotCount, putIo)
      checkStatus('petal_car_put_sections', status)
      t.count = Number(putIo[0])
      t.poolUsed = Number(putIo[1])
      t.distinct = Number(putIo[2])
      return { consumed: Number(putIo[3]), length: Number(putIo[4]), sections: Number(putIo[5]) }
    },
  }
}
