/**
 * Route preloads: a Vite plugin that writes `route-preloads.json` beside the web build, naming for each
 * page of the workspace the chunks that page needs (its lazy page module and every chunk that module
 * imports statically, less what index.html already loads). The server (src/api/web-shell.ts) puts them
 * into the index.html it answers for that path as `<link rel="modulepreload">`, so a first visit fetches
 * the page's code together with the app's, instead of after the app has booted and asked who is signed in.
 */
import type { OutputBundle, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';

export type RoutePreload = {
  /** A path of the web app (`/pipeline`), or a prefix ending in `/` when `prefix` is set (`/renewals/`). */
  path: string;
  prefix?: boolean;
  /** The lazily imported modules behind the page, relative to the web root (`src/pages/…`). */
  modules: string[];
};

/**
 * The pages and what they load. The home is drawn by a role's home module; the CSM's is preloaded, as CSMs
 * are most of the people who open it (a manager's first visit fetches one chunk it does not use).
 */
export const ROUTE_PRELOADS: RoutePreload[] = [
  { path: '/', modules: ['src/pages/home-page.tsx', 'src/pages/csm-home.tsx'] },
  { path: '/pipeline', modules: ['src/pages/pipeline-page.tsx'] },
  { path: '/renewals/', prefix: true, modules: ['src/pages/renewal-room-page.tsx'] },
  { path: '/forecast', modules: ['src/pages/forecast-page.tsx'] },
  { path: '/early-renewal', modules: ['src/pages/early-renewal-page.tsx'] },
  { path: '/win-loss', modules: ['src/pages/win-loss-page.tsx'] },
  { path: '/playbook', modules: ['src/pages/playbook-page.tsx'] },
  {
    path: '/settings/policy',
    modules: ['src/pages/settings-layout.tsx', 'src/pages/settings-policy-page.tsx'],
  },
  {
    path: '/settings/users',
    modules: ['src/pages/settings-layout.tsx', 'src/pages/settings-users-page.tsx'],
  },
  {
    path: '/settings/tokens',
    modules: ['src/pages/settings-layout.tsx', 'src/pages/settings-tokens-page.tsx'],
  },
  {
    path: '/settings/imports',
    modules: ['src/pages/settings-layout.tsx', 'src/pages/settings-imports-page.tsx'],
  },
  { path: '/sign-in', modules: ['src/pages/sign-in-page.tsx'] },
];

/** What the build writes: per page, the asset URLs to preload. */
export type RoutePreloadsFile = { path: string; prefix: boolean; files: string[] }[];

export const ROUTE_PRELOADS_FILE = 'route-preloads.json';

function staticClosure(bundle: OutputBundle, fileName: string, into: Set<string>): Set<string> {
  if (into.has(fileName)) return into;
  into.add(fileName);
  const chunk = bundle[fileName];
  if (chunk?.type === 'chunk') for (const imported of chunk.imports) staticClosure(bundle, imported, into);
  return into;
}

export function routePreloads(routes: RoutePreload[] = ROUTE_PRELOADS): Plugin {
  let root = '';
  return {
    name: 'perennial-route-preloads',
    apply: 'build',
    configResolved(config) {
      root = config.root.replace(/\/$/, '');
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((output): output is OutputChunk => output.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry);
      if (!entry) this.error('route preloads: the build has no entry chunk');
      const loadedByIndex = staticClosure(bundle, entry.fileName, new Set());
      const byModule = new Map(
        chunks
          .filter((chunk) => chunk.facadeModuleId?.startsWith(`${root}/`))
          .map((chunk) => [chunk.facadeModuleId?.slice(root.length + 1), chunk.fileName]),
      );
      const file: RoutePreloadsFile = routes.map((route) => {
        const files = new Set<string>();
        for (const module of route.modules) {
          const fileName = byModule.get(module);
          if (!fileName) this.error(`route preloads: ${route.path}: ${module} is not a chunk of the build`);
          staticClosure(bundle, fileName, files);
        }
        return {
          path: route.path,
          prefix: route.prefix ?? false,
          files: [...files].filter((name) => !loadedByIndex.has(name)).map((name) => `/${name}`),
        };
      });
      this.emitFile({ type: 'asset', fileName: ROUTE_PRELOADS_FILE, source: JSON.stringify(file, null, 1) });
    },
  };
}
