/** Errors of the node: repo, config, database, logging, and talking to a running node. */

/** Base class; `code` is stable and mapped to HTTP/JSON-RPC by src/http/errors.ts. */
export class NodeError extends Error {
  override name = 'NodeError'
  readonly code: string

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.code = code
  }
}

/** No repo at the path (run `petal init`). */
export class RepoNotFoundError extends NodeError {
  override name = 'RepoNotFoundError'
  constructor(path: string) {
    super('E_REPO_NOT_FOUND', `no petal repo at ${path} (run 'petal init' or set $PETAL_PATH)`)
  }
}

/** `petal init` on a path that already holds a repo. */
export class RepoExistsError extends NodeError {
  override name = 'RepoExistsError'
  constructor(path: string) {
    super('E_REPO_EXISTS', `repo at ${path} is already initialized`)
  }
}

/** Another live process holds the repo lock. */
export class RepoLockedError extends NodeError {
  override name = 'RepoLockedError'
  constructor(
    path: string,
    readonly pid: number,
  ) {
    super('E_REPO_LOCKED', `repo ${path} is locked by running process ${pid}`)
  }
}

/** config.toml is unreadable, not TOML, or has an unknown key or a wrong type. */
export class ConfigError extends NodeError {
  override name = 'ConfigError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_CONFIG_INVALID', message, options)
  }
}

/** The database was written by a newer petal than this one. */
export class DatabaseTooNewError extends NodeError {
  override name = 'DatabaseTooNewError'
  constructor(found: number, known: number) {
    super('E_DB_TOO_NEW', `database schema version ${found} is newer than this petal knows (${known}); upgrade petal`)
  }
}

/** A migration failed; the database is left at the previous version. */
export class MigrationError extends NodeError {
  override name = 'MigrationError'
  constructor(version: number, name: string, options?: ErrorOptions) {
    super('E_DB_MIGRATION', `migration ${version} (${name}) failed; database left at the previous version`, options)
  }
}

/** No such log subsystem. */
export class UnknownSubsystemError extends NodeError {
  override name = 'UnknownSubsystemError'
  constructor(name: string) {
    super('E_LOG_UNKNOWN_SUBSYSTEM', `unknown log subsystem '${name}' (see 'petal log list')`)
  }
}

/** Not a log level. */
export class InvalidLevelError extends NodeError {
  override name = 'InvalidLevelError'
  constructor(level: string) {
    super('E_LOG_INVALID_LEVEL', `invalid log level '${level}' (debug, info, warn, error)`)
  }
}

/** No running node could be found or reached. */
export class NodeUnreachableError extends NodeError {
  override name = 'NodeUnreachableError'
  constructor(message: string, options?: ErrorOptions) {
    super('E_NODE_UNREACHABLE', message, options)
  }
}

/** A call to the node's API returned a JSON-RPC error; `code` is the node's stable code. */
export class RemoteError extends NodeError {
  override name = 'RemoteError'
  constructor(
    code: string,
    message: string,
    readonly rpcCode: number,
  ) {
    super(code, message)
  }
}

/** A command-line argument or API parameter is out of range or malformed. */
export class InvalidArgumentError extends NodeError {
  override name = 'InvalidArgumentError'
  constructor(message: string) {
    super('E_INVALID_ARGUMENT', message)
  }
}
