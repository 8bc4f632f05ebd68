/** Piece commitments: applies `[proofs] native` and serves `Filecoin.ClientCalcCommP`. */
import { isAbsolute } from 'node:path'
import { defineMethod, p } from '../../http/rpc/index.ts'
import { calcCommPFromFile, toLotusCommPRet } from '../commp/index.ts'
import { InvalidArgumentError } from '../errors.ts'
import { setNativeMode, type NativeMode } from '../runtime/native/index.ts'
import type { ServiceFactory } from './types.ts'

export const commpService: ServiceFactory = (ctx) => {
  // $PETAL_NATIVE wins over the config file, as the config docs say.
  const mode = (process.env.PETAL_NATIVE || ctx.repo.config.proofs.native) as NativeMode
  const status = setNativeMode(mode)
  ctx.logs.logger('proofs').info('proofs path', status.active ? { path: 'native', sha: status.sha, library: status.library } : { path: 'typescript', reason: status.reason })
  return {
    name: 'commp',
    methods: [
      defineMethod({
        name: 'Filecoin.ClientCalcCommP',
        perm: 'write',
        params: [p.string('inpath')],
        description: "Piece CID and unpadded piece size of a file on the node's machine (Lotus's CommPRet)",
        handler: async ([inpath], rpc) => {
          if (!isAbsolute(inpath)) throw new InvalidArgumentError(`path must be absolute: ${inpath}`)
          return toLotusCommPRet(await calcCommPFromFile(inpath, { signal: rpc.signal }))
        },
      }),
    ],
  }
}
