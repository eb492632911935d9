/**
 * Supply chain, checked offline on every test run (the advisory audit itself, `npm audit --omit=dev`,
 * needs the registry and is recorded in docs/SECURITY.md):
 * - package-lock.json is committed, lockfile v3, and covers every dependency in package.json;
 * - every package comes from the npm registry with a sha512 integrity hash (no git, tarball-URL or
 *   file dependencies that would fetch unpinned code at install time);
 * - the only packages with install scripts are the ones justified in docs/SECURITY.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support.ts';

/** Packages allowed to run an install script, each justified in docs/SECURITY.md. */
const INSTALL_SCRIPTS_ALLOWED = new Set(['esbuild']);

type LockEntry = {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  hasInstallScript?: boolean;
};
type Lock = { lockfileVersion: number; packages: Record<string, LockEntry> };

const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lock;
const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const entries = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !entry.link);
const nameOf = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('supply chain', () => {
  it('the lockfile is committed and covers every dependency', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    const tracked = execFileSync('git', ['ls-files', '--', 'package-lock.json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(tracked.trim()).toBe('package-lock.json');
    for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]) {
      expect(lock.packages[`node_modules/${name}`], name).toBeDefined();
    }
  });

  it('every package is pinned to the npm registry with an integrity hash', () => {
    // The lockfile omits `resolved` for registry packages (npm then uses the configured registry);
    // any other source (git, a tarball URL, a file) would show as `resolved` and is refused.
    const unpinned = entries
      .filter(
        ([, e]) =>
          (e.resolved !== undefined && !e.resolved.startsWith('https://registry.npmjs.org/')) ||
          !e.integrity?.startsWith('sha512-'),
      )
      .map(([key, e]) => `${key} ${e.resolved ?? '(no resolved)'}`);
    expect(unpinned).toEqual([]);
  });

  it('only justified packages run install scripts', () => {
    const scripted = [...new Set(entries.filter(([, e]) => e.hasInstallScript).map(([key]) => nameOf(key)))];
    expect(scripted.filter((name) => !INSTALL_SCRIPTS_ALLOWED.has(name))).toEqual([]);
  });
});
