import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWebShell } from '../src/api/web-shell.ts';

const INDEX = `<!doctype html>
<html lang="en">
  <head>
    <script type="module" crossorigin src="/assets/index-1.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

const PRELOADS = [
  { path: '/', prefix: false, files: ['/assets/home-page-1.js', '/assets/csm-home-1.js'] },
  { path: '/pipeline', prefix: false, files: ['/assets/pipeline-page-1.js', '/assets/Table-1.js'] },
  { path: '/renewals/', prefix: true, files: ['/assets/renewal-room-page-1.js'] },
  { path: '/sign-in', prefix: false, files: ['/assets/sign-in-page-1.js'] },
];

const WORKSPACE = '<link rel="preload" href="/api/v1/workspace" as="fetch" crossorigin="anonymous">';

let dirs: string[] = [];
function webBuild({ preloads = PRELOADS as unknown }: { preloads?: unknown } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'perennial-web-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  if (preloads !== null) writeFileSync(path.join(dir, 'route-preloads.json'), JSON.stringify(preloads));
  return dir;
}

function modulePreloads(html: string): string[] {
  return [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map(
    (match) => match[1]!,
  );
}

afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('the index.html each page of the web app is answered with', () => {
  it('preloads the chunks of the page it opens and the workspace, inside <head>', () => {
    const shell = loadWebShell(webBuild());
    const html = shell.html('/pipeline');
    expect(modulePreloads(html)).toEqual(['/assets/pipeline-page-1.js', '/assets/Table-1.js']);
    expect(html).toContain(WORKSPACE);
    expect(html.indexOf(WORKSPACE)).toBeLessThan(html.indexOf('</head>'));
    expect(html).toContain('<script type="module" crossorigin src="/assets/index-1.js"></script>');
    expect(modulePreloads(shell.html('/'))).toEqual(['/assets/home-page-1.js', '/assets/csm-home-1.js']);
  });

  it('matches a prefix route for any page below it, not the prefix itself', () => {
    const shell = loadWebShell(webBuild());
    expect(modulePreloads(shell.html('/renewals/C-1042'))).toEqual(['/assets/renewal-room-page-1.js']);
    expect(modulePreloads(shell.html('/renewals/'))).toEqual([]);
    expect(modulePreloads(shell.html('/pipeline/extra'))).toEqual([]);
  });

  it('does not ask for the workspace on the sign-in page, where nobody is signed in yet', () => {
    const html = loadWebShell(webBuild()).html('/sign-in');
    expect(html).not.toContain('/api/v1/workspace');
    expect(modulePreloads(html)).toEqual(['/assets/sign-in-page-1.js']);
  });

  it('answers an unknown page with the workspace preload only (the app shows its not-found)', () => {
    const html = loadWebShell(webBuild()).html('/no-such-page');
    expect(modulePreloads(html)).toEqual([]);
    expect(html).toContain(WORKSPACE);
  });

  it('serves an older build without a preload listing as it is, plus the workspace preload', () => {
    const html = loadWebShell(webBuild({ preloads: null })).html('/pipeline');
    expect(modulePreloads(html)).toEqual([]);
    expect(html).toContain(WORKSPACE);
  });

  it('refuses a damaged preload listing at start-up rather than serving broken pages', () => {
    expect(() => loadWebShell(webBuild({ preloads: [{ path: '/', files: 'x' }] }))).toThrow();
  });

  it('escapes a file name so it cannot end the attribute', () => {
    const dir = webBuild({ preloads: [{ path: '/', prefix: false, files: ['/assets/a"><script>.js'] }] });
    const html = loadWebShell(dir).html('/');
    expect(html).toContain('href="/assets/a&quot;>&lt;script>.js"');
    expect(html).not.toContain('<script>.js');
  });
});
