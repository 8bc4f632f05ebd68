/** wrap / extract-v1 / detach-index on files, including in-place extraction, padded CARv2s and refusals. */
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { detachIndexFile, extractV1File, openFileSource, readCarLayout, wrapV1File } from '../../../src/store/car/index.ts'
import { expectCode, fixture, fixtureBytes, tempDir } from './helpers.ts'

const tmp = tempDir()
afterAll(tmp.cleanup)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('conversions', () => {
  it('extract-v1 of sample-wrapped-v2 is sample-v1, to a new file and in place', async () => {
    const out = join(tmp.dir, 'v1.car')
    await extractV1File(fixture('v2/sample-wrapped-v2.car'), out)
    expect(hex(readFileSync(out))).toBe(hex(fixtureBytes('v2/sample-v1.car')))
    const copy = join(tmp.dir, 'inplace.car')
    copyFileSync(fixture('v2/sample-wrapped-v2.car'), copy)
    await extractV1File(copy, copy)
    expect(hex(readFileSync(copy))).toBe(hex(fixtureBytes('v2/sample-v1.car')))
  })

  it('extract-v1 drops data padding (sample-rw-bs-v2: 1413 zero bytes before the payload)', async () => {
    const out = join(tmp.dir, 'rwbs-v1.car')
    await extractV1File(fixture('v2/sample-rw-bs-v2.car'), out)
    const payload = fixtureBytes('v2/sample-rw-bs-v2.car').subarray(1464, 1464 + 273)
    expect(hex(readFileSync(out))).toBe(hex(payload))
    expect((await readCarLayout(openFileSource(out))).version).toBe(1)
  })

  it('wrap refuses a CARv2, detach-index refuses a CARv1', async () => {
    await expectCode(wrapV1File(fixture('v2/sample-wrapped-v2.car'), join(tmp.dir, 'x.car')), 'E_CAR_WRONG_VERSION')
    await expectCode(detachIndexFile(fixture('v2/sample-v1.car'), join(tmp.dir, 'x.idx')), 'E_CAR_WRONG_VERSION')
  })

  it('wrap then extract-v1 is the identity on a zero-padded CARv1', async () => {
    const v2 = join(tmp.dir, 'padded-v2.car')
    const v1 = join(tmp.dir, 'padded-v1.car')
    await wrapV1File(fixture('v2/sample-v1-with-zero-len-section2.car'), v2)
    await extractV1File(v2, v1)
    expect(hex(readFileSync(v1))).toBe(hex(fixtureBytes('v2/sample-v1-with-zero-len-section2.car')))
  })
})
