/**
 * The repo lock: one running node per repo. The lock file holds the owner's pid; a lock whose process is
 * gone (killed, crashed) is stale and is taken over. Take-overs are serialised through a second, short-lived
 * file so two starting nodes cannot both claim the same stale lock.
 */
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { RepoLockedError } from '../errors.ts'

/** A held lock; `release` removes the file if we still own it. */
export interface RepoLock {
  pid: number
  /** The pid of the dead process whose stale lock was taken over, if any. */
  tookOverFrom: number | null
  release(): void
}

/** Takes the lock at `path` for this process, or throws RepoLockedError naming the live holder's pid. */
export function acquireLock(path: string, repo: string): RepoLock {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (createExclusive(path)) return held(path, null)
    const holder = readHolder(path)
    if (holder !== null && holder !== process.pid && isAlive(holder)) throw new RepoLockedError(repo, holder)
    if (holder === null && ageMs(path) < 1000) {
      sleep(10) // being written right now by another starter
      continue
    }
    const mutex = `${path}.takeover`
    if (!createExclusive(mutex)) {
      const owner = readHolder(mutex)
      if (owner === null ? ageMs(mutex) > 1000 : !isAlive(owner)) removeIfSame(mutex, owner)
      sleep(10)
      continue
    }
    try {
      if (readHolder(path) !== holder) continue // changed under us: look again
      const mine = `${path}.${process.pid}`
      writeFile(mine)
      renameSync(mine, path)
      return held(path, holder)
    } finally {
      removeIfSame(mutex, process.pid)
    }
  }
  throw new RepoLockedError(repo, readHolder(path) ?? -1)
}

/** The pid recorded in a lock file, or null if the file is missing or unreadable. */
export function readHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10)
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

/** Whether a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function createExclusive(path: string): boolean {
  let fd: number
  try {
    fd = openSync(path, 'wx', 0o644)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try {
    writeSync(fd, `${process.pid}\n`)
  } finally {
    closeSync(fd)
  }
  return true
}

function writeFile(path: string): void {
  const fd = openSync(path, 'w', 0o644)
  try {
    writeSync(fd, `${process.pid}\n`)
  } finally {
    closeSync(fd)
  }
}

function removeIfSame(path: string, pid: number | null): void {
  if (readHolder(path) !== pid) return
  try {
    unlinkSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs
  } catch {
    return Infinity
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function held(path: string, tookOverFrom: number | null): RepoLock {
  let released = false
  return {
    pid: process.pid,
    tookOverFrom,
    release() {
      if (released) return
      released = true
      removeIfSame(path, process.pid)
    },
  }
}
