/**
 * PGlite is one PostgreSQL backend in this process: two processes opening the same data directory
 * corrupt it. The embedded store therefore holds an exclusive lock file beside the directory; a second
 * process gets a clear error naming the holder, and a lock left by a dead process is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreError } from './store-error.ts';

type LockHolder = { pid: number; hostname: string; command: string; since: string };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

export type DataDirLock = { path: string; release: () => void };

export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const lockPath = `${dataDir}.lock`;
  const holder: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    command: process.argv.slice(1).join(' '),
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return { path: lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readHolder(lockPath);
      const stale = current !== null && current.hostname === holder.hostname && !isAlive(current.pid);
      if (stale || current === null) {
        rmSync(lockPath, { force: true });
        continue;
      }
      throw new StoreError(
        'store_locked',
        `the embedded store ${dataDir} is in use by process ${current.pid} on ${current.hostname} ` +
          `(${current.command}, since ${current.since}); PGlite serves one process — stop that one, ` +
          'or use PostgreSQL (DATABASE_URL) for several processes',
      );
    }
  }
  throw new StoreError('store_locked', `could not lock ${dataDir}`);
}
