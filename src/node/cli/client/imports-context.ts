/**
 * The client import commands work on the repo directly (its SQLite database and imports/ folder), with or
 * without a running node: SQLite's WAL lets both use the database at once, and imports hold no state in
 * the node's memory.
 */
import { ImportManager } from '../../imports/index.ts'
import { resolveRepoPath } from '../../repo/paths.ts'
import { openRepo } from '../../repo/repo.ts'

/** Runs `fn` with the import manager of the repo named by `--repo` / $PETAL_PATH. */
export async function withImports<T>(args: { repo?: string }, fn: (imports: ImportManager) => Promise<T> | T): Promise<T> {
  const repo = openRepo(resolveRepoPath(args.repo))
  try {
    return await fn(new ImportManager(repo.db, repo.paths.imports))
  } finally {
    repo.close()
  }
}
