/**
 * `petal car …`: offline tools on CAR files — inspect, ls, verify, root, index, wrap, detach-index,
 * extract-v1, get-block, get-dag. Every failure is a typed error the runner prints as one coded line.
 */
import { writeFileSync } from 'node:fs'
import { defineCommand } from 'citty'
import { CID } from 'multiformats/cid'
import { openReadOnly } from '../../store/blockstore/index.ts'
import { installNative } from '../runtime/index.ts'
import {
  CarBadCidError,
  CarIndexMismatchError,
  cidAt,
  cidParts,
  codecName,
  detachIndexFile,
  encodeIndex,
  extractV1File,
  generateIndex,
  indexCodecName,
  inspectCar,
  openFileSource,
  readCarLayout,
  readIndex,
  scanSections,
  verifyCar,
  walkDag,
  wrapV1File,
  writeCarFile,
  type CarInspection,
  type IndexCodec,
} from '../../store/car/index.ts'
import { InvalidArgumentError } from '../errors.ts'
import { jsonArgs } from './args.ts'
import { printJson, printTable } from './output.ts'
import { createProgress } from './progress.ts'

const file = { type: 'positional', required: true, description: 'CAR file', valueHint: 'file' } as const

function parseCid(text: string): CID {
  try {
    return CID.parse(text)
  } catch (err) {
    // go-cid reads base32 leniently (leftover bits of the last character ignored); so do we.
    const lenient = text.startsWith('b') ? lenientBase32(text.slice(1)) : undefined
    if (lenient !== undefined) {
      try {
        return CID.decode(lenient)
      } catch (lenientErr) {
        // Not a CID either way: the strict parser's reason is the one worth reporting.
        void lenientErr
      }
    }
    throw new CarBadCidError(`'${text}' is not a CID`, { cause: err })
  }
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

function lenientBase32(text: string): Uint8Array | undefined {
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const ch of text) {
    const v = BASE32.indexOf(ch)
    if (v < 0) return undefined
    value = ((value << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out.push((value >> bits) & 0xff)
    }
  }
  return Uint8Array.from(out)
}

function parseCodec(text: string | undefined): IndexCodec {
  const v = text === undefined ? 0x0401 : Number(text)
  if (v !== 0x0400 && v !== 0x0401) throw new InvalidArgumentError(`--codec must be 0x0400 or 0x0401, not '${text}'`)
  return v
}

/** Runs `fn` with a readable source over `path`, closing it afterwards. */
async function withSource<T>(path: string, fn: (source: ReturnType<typeof openFileSource>) => Promise<T>): Promise<T> {
  const source = openFileSource(path)
  try {
    return await fn(source)
  } finally {
    source.close()
  }
}

function inspectionJson(r: CarInspection): unknown {
  const v2 = r.layout.v2
  return {
    version: r.layout.version,
    roots: r.layout.roots.map(String),
    rootsPresent: r.rootsPresent,
    characteristics: v2 ? Buffer.from(v2.characteristics).toString('hex') : undefined,
    fullyIndexed: v2?.fullyIndexed,
    dataOffset: r.layout.dataOffset,
    dataSize: r.layout.dataSize,
    indexOffset: v2?.indexOffset,
    blockCount: r.blockCount,
    blockLength: r.blockLength,
    cidLength: r.cidLength,
    codecs: r.codecs,
    hashes: r.hashes,
    payloadEnd: r.end,
    index: r.index,
    verification: r.verification,
  }
}

function printInspection(r: CarInspection): void {
  const v2 = r.layout.v2
  const lines = [`Version: ${r.layout.version}`]
  if (v2) {
    lines.push(
      `Characteristics: ${Buffer.from(v2.characteristics).toString('hex')}`,
      `Data offset: ${v2.dataOffset}`,
      `Data (payload) length: ${v2.dataSize}`,
      `Index offset: ${v2.indexOffset}`,
      `Index type: ${r.index.codec ?? (r.index.present ? 'unreadable' : 'none')}`,
    )
    if (r.index.present) lines.push(`Index matches data: ${r.index.matchesData ? 'yes' : `no (${r.index.problem?.code}: ${r.index.problem?.message})`}`)
  }
  lines.push(`Roots: ${r.layout.roots.map(String).join(', ')}`, `Root blocks present in data: ${r.rootsPresent ? 'Yes' : 'No'}`)
  lines.push(`Block count: ${r.blockCount}`)
  lines.push(`Min / average / max block length (bytes): ${r.blockLength.min} / ${r.blockLength.avg} / ${r.blockLength.max}`)
  lines.push(`Min / average / max CID length (bytes): ${r.cidLength.min} / ${r.cidLength.avg} / ${r.cidLength.max}`)
  lines.push('Block count per codec:', ...Object.entries(r.codecs).map(([k, n]) => `\t${k}: ${n}`))
  lines.push('CID count per multihash:', ...Object.entries(r.hashes).map(([k, n]) => `\t${k}: ${n}`))
  if (r.end === 'zero-length') lines.push('Payload ends at a zero-length section (padding follows)')
  const v = r.verification
  if (v) lines.push(`Verification: ${v.ok ? `ok (${v.verified} blocks)` : `FAILED after ${v.verified} blocks (${v.problem?.code}: ${v.problem?.message})`}`)
  process.stdout.write(`${lines.join('\n')}\n`)
}

const inspect = defineCommand({
  meta: { name: 'inspect', description: 'Show version, header, roots, block statistics, index and verification of a CAR' },
  args: { file, ...jsonArgs, 'no-verify': { type: 'boolean', description: 'Skip hashing the blocks', default: false } },
  async run({ args }) {
    const r = await withSource(args.file, (s) => inspectCar(s, { verify: !args['no-verify'] }))
    if (args.json) printJson(inspectionJson(r))
    else printInspection(r)
  },
})

const ls = defineCommand({
  meta: { name: 'ls', description: 'List the CIDs of a CAR in storage order' },
  args: { file, verbose: { type: 'boolean', alias: 'v', description: 'Also print codec, payload offset and block size', default: false } },
  async run({ args }) {
    await withSource(args.file, async (source) => {
      const layout = await readCarLayout(source)
      let lines: string[] = []
      const flush = () => {
        if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`)
        lines = []
      }
      await scanSections(source, layout, (s) => {
        const cidEnd = s.at + s.headerLength
        const cid = cidAt(s.buf, cidEnd - cidParts.length, cidEnd).toString()
        lines.push(args.verbose ? `${cid}\t${codecName(cidParts.codec)}\t${s.offset}\t${s.length - s.headerLength}` : cid)
        if (lines.length >= 4096) flush()
      })
      flush()
    })
  },
})

const verify = defineCommand({
  meta: { name: 'verify', description: 'Check structure, every block against its CID, and the embedded index against the data' },
  args: { file },
  async run({ args }) {
    await withSource(args.file, async (source) => {
      const progress = createProgress('verify', { total: source.size, unit: 'bytes' })
      const count = await verifyCar(source, { onProgress: (done) => progress.update(done) })
      progress.done()
      const r = await inspectCar(source, { verify: false })
      if (r.index.present && !r.index.matchesData) {
        throw new CarIndexMismatchError(`the embedded index does not match the data: ${r.index.problem?.code}: ${r.index.problem?.message}`)
      }
      process.stdout.write(`ok: ${count} blocks verified${r.index.present ? ', index matches' : ''}\n`)
    })
  },
})

const root = defineCommand({
  meta: { name: 'root', description: 'Print the root CIDs of a CAR' },
  args: { file },
  async run({ args }) {
    const layout = await withSource(args.file, (s) => readCarLayout(s))
    if (layout.roots.length > 0) process.stdout.write(`${layout.roots.map(String).join('\n')}\n`)
  },
})

const index = defineCommand({
  meta: { name: 'index', description: 'Write a detached index of a CAR (default codec 0x0401, as go-car)' },
  args: {
    file,
    out: { type: 'positional', required: true, description: 'Index file to write', valueHint: 'out.idx' },
    codec: { type: 'string', description: 'Index codec: 0x0400 or 0x0401', default: '0x0401' },
    'include-identity': { type: 'boolean', description: 'Index identity CIDs too', default: false },
  },
  async run({ args }) {
    const codec = parseCodec(args.codec)
    const { index: idx } = await withSource(args.file, (s) =>
      generateIndex(s, { includeIdentity: args['include-identity'], keyedBy: 'multihash' }),
    )
    writeFileSync(args.out, encodeIndex(idx, codec))
    process.stdout.write(`wrote ${indexCodecName(codec)} index of ${idx.count} entries to ${args.out}\n`)
  },
})

const wrap = defineCommand({
  meta: { name: 'wrap', description: 'Wrap a CARv1 into an indexed CARv2' },
  args: { file, out: { type: 'positional', required: true, description: 'CARv2 to write', valueHint: 'out-v2.car' } },
  async run({ args }) {
    await wrapV1File(args.file, args.out)
  },
})

const detachIndex = defineCommand({
  meta: { name: 'detach-index', description: 'Write the index embedded in a CARv2 to its own file' },
  args: { file, out: { type: 'positional', required: true, description: 'Index file to write', valueHint: 'out.idx' } },
  async run({ args }) {
    await detachIndexFile(args.file, args.out)
  },
})

const extractV1 = defineCommand({
  meta: { name: 'extract-v1', description: 'Write the CARv1 payload of a CARv2 (may overwrite the input)' },
  args: { file, out: { type: 'positional', required: true, description: 'CARv1 to write', valueHint: 'out-v1.car' } },
  async run({ args }) {
    await extractV1File(args.file, args.out)
  },
})

const getBlock = defineCommand({
  meta: { name: 'get-block', description: 'Write one block (verified) to a file or stdout' },
  args: {
    file,
    cid: { type: 'positional', required: true, description: 'CID of the block' },
    out: { type: 'positional', required: false, description: 'File to write (default stdout)' },
  },
  async run({ args }) {
    const cid = parseCid(args.cid)
    const store = await openReadOnly(args.file)
    try {
      const bytes = await store.get(cid)
      if (args.out) writeFileSync(args.out, bytes)
      else await new Promise<void>((resolve, reject) => process.stdout.write(bytes, (err) => (err ? reject(err) : resolve())))
    } finally {
      await store.close()
    }
  },
})

const getDag = defineCommand({
  meta: { name: 'get-dag', description: 'Write the DAG under a root (depth-first) to a new CAR' },
  args: {
    file,
    root: { type: 'positional', required: true, description: 'Root CID of the DAG' },
    out: { type: 'positional', required: true, description: 'CAR to write', valueHint: 'out.car' },
    version: { type: 'string', description: 'CAR version to write: 1 or 2', default: '1' },
  },
  async run({ args }) {
    const rootCid = parseCid(args.root)
    if (args.version !== '1' && args.version !== '2') throw new InvalidArgumentError(`--version must be 1 or 2, not '${args.version}'`)
    const store = await openReadOnly(args.file)
    try {
      const count = await writeCarFile(args.out, [rootCid], withoutIdentity(walkDag(store, rootCid)), { version: args.version === '2' ? 2 : 1 })
      process.stdout.write(`wrote ${count} blocks to ${args.out}\n`)
    } finally {
      await store.close()
    }
  },
})

async function* withoutIdentity<T extends { cid: CID }>(blocks: AsyncIterable<T>): AsyncGenerator<T> {
  for await (const b of blocks) if (b.cid.multihash.code !== 0) yield b
}

const detached = defineCommand({
  meta: { name: 'index-info', description: 'Describe a detached index file (codec, entries)' },
  args: { file: { ...file, description: 'Index file' }, ...jsonArgs },
  async run({ args }) {
    const { codec, index: idx } = await withSource(args.file, (s) => readIndex(s))
    const info = { codec: indexCodecName(codec), entries: idx.count }
    if (args.json) printJson(info)
    else printTable(null, [['codec', info.codec], ['entries', info.entries]])
  },
})

export default defineCommand({
  meta: { name: 'car', description: 'Offline tools on CAR files (CARv1/CARv2, go-car compatible)' },
  // libpetal's CAR kernels and SHA-256, as a node uses them ($PETAL_NATIVE: auto by default, on, off).
  setup() {
    installNative()
  },
  subCommands: {
    inspect,
    ls,
    verify,
    root,
    index,
    'index-info': detached,
    wrap,
    'detach-index': detachIndex,
    'extract-v1': extractV1,
    'get-block': getBlock,
    'get-dag': getDag,
  },
})
