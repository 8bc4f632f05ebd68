/**
 * The node's native switch covers the sealing kernels: `auto`/`on` install them beside the commP functions,
 * `off` removes them, and every sealing function then falls back to the TypeScript reference.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { setNativeMode } from '../../../src/node/runtime/native/index.ts'
import { getSealingNative, resolveKernels, typescriptKernels } from '../../../src/proofs/kernels/index.ts'
import { nativeKernels, nativeMissing } from './native.ts'

describe.skipIf(!nativeKernels)(`native mode and the sealing kernels${nativeMissing ? ` (${nativeMissing})` : ''}`, () => {
  afterAll(() => setNativeMode('off'))

  it('auto and on install them; off removes them', () => {
    expect(setNativeMode('auto').active).toBe(true)
    expect(getSealingNative()?.name).toMatch(/^native:(sha-ni|portable)$/)
    expect(resolveKernels()).toBe(getSealingNative())
    setNativeMode('off')
    expect(getSealingNative()).toBeNull()
    expect(resolveKernels()).toBe(typescriptKernels)
    expect(setNativeMode('on').active).toBe(true)
    expect(getSealingNative()).not.toBeNull()
  })
})
