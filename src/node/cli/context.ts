/** What commands share: resolving the repo and connecting to the running node. */
import { ApiClient, resolveApiInfo } from '../client/index.ts'
import { resolveRepoPath } from '../repo/paths.ts'

/** An API client for the node behind `--repo` / $PETAL_PATH, or $PETAL_API_INFO. */
export function clientFor(args: { repo?: string }): ApiClient {
  return new ApiClient(resolveApiInfo(resolveRepoPath(args.repo)))
}
