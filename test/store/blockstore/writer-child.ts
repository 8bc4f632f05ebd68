/**
 * Child process of crash.test.ts: resumes the ReadWrite CAR at argv[2] and writes blocks `from`..`to` of
 * the deterministic set, printing "acked <i>" once each put (or each putMany group) has resolved. The
 * parent kills it with SIGKILL at a random moment. Mode `putManyNative` writes through libpetal's putMany
 * kernel (or the TypeScript path where the library cannot be built).
 */
import { openCarNative } from '../../../src/node/runtime/native/index.ts'
import { openReadWrite } from '../../../src/store/blockstore/index.ts'
import { setCarNative } from '../../../src/store/car/index.ts'
import { crashBlocks, CRASH_ROOT_SEED } from './crash-blocks.ts'

const [path, fromArg, toArg, mode] = process.argv.slice(2)
if (mode === 'putManyNative') {
  try {
    setCarNative(openCarNative())
  } catch {
    // no library here: the TypeScript putMany runs instead
  }
}
const from = Number(fromArg)
const to = Number(toArg)
const blocks = await crashBlocks(to)
const roots = (await crashBlocks(1, CRASH_ROOT_SEED)).map((b) => b.cid)
const store = await openReadWrite(path, roots)
process.stdout.write(`resumed ${store.resumed?.blocks ?? 0}\n`)
for (let i = from; i < to; ) {
  if (mode === 'putMany' || mode === 'putManyNative') {
    const group = blocks.slice(i, i + 4)
    await store.putMany(group)
    i += group.length
    process.stdout.write(`acked ${i - 1}\n`)
  } else {
    await store.put(blocks[i].cid, blocks[i].bytes)
    process.stdout.write(`acked ${i}\n`)
    i++
  }
}
process.stdout.write('done\n')
await store.close()
