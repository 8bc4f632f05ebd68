#!/usr/bin/env bun
/** The composition root: the only module that runs something at import time. */
import { rootCommand } from './node/cli/index.ts'
import { runCli } from './node/cli/run.ts'

await runCli(rootCommand, process.argv.slice(2))
