/**
 * The web workspace's index.html, as answered for each path of the app. The web build lists per page the
 * chunks it needs (`route-preloads.json`, scripts/route-preloads.ts); the page's copy of index.html names
 * them as `<link rel="modulepreload">`, and — on every page but sign-in — asks for the signed-in person's
 * workspace with `<link rel="preload" as="fetch">`. A first visit then fetches the page's code and the
 * workspace beside the app's own code, instead of one after the other once the app has booted.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const preloadsFile = z.array(z.object({ path: z.string(), prefix: z.boolean(), files: z.array(z.string()) }));
type RoutePreloads = z.infer<typeof preloadsFile>;

/** The app's first request (web/src/api/queries.ts `workspaceQuery`); `crossorigin` makes it match fetch(). */
const WORKSPACE_PRELOAD = '<link rel="preload" href="/api/v1/workspace" as="fetch" crossorigin="anonymous">';

export type WebShell = { html: (pathname: string) => string };

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function routeOf(preloads: RoutePreloads, pathname: string) {
  return preloads.find((route) =>
    route.prefix
      ? pathname.startsWith(route.path) && pathname.length > route.path.length
      : pathname === route.path,
  );
}

/** Reads index.html and the route preloads of a web build once; the answer per path is built on first use. */
export function loadWebShell(webRoot: string): WebShell {
  const index = readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  const listing = path.join(webRoot, 'route-preloads.json');
  // A build without the listing (an older one) still works: index.html as it is, plus the workspace preload.
  const preloads = existsSync(listing) ? preloadsFile.parse(JSON.parse(readFileSync(listing, 'utf8'))) : [];
  const byPath = new Map<string, string>();
  return {
    html(pathname) {
      const route = routeOf(preloads, pathname);
      const key = route ? route.path : pathname === '/sign-in' ? '/sign-in' : '';
      let html = byPath.get(key);
      if (html === undefined) {
        const links = (route?.files ?? []).map(
          (file) => `<link rel="modulepreload" crossorigin href="${escapeAttribute(file)}">`,
        );
        if (key !== '/sign-in') links.unshift(WORKSPACE_PRELOAD);
        html = index.replace('</head>', `${links.join('\n    ')}\n  </head>`);
        byPath.set(key, html);
      }
      return html;
    },
  };
}
