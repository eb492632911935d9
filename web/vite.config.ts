import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { compressWebAssets } from '../scripts/compress-web-assets.ts';
import { routePreloads } from '../scripts/route-preloads.ts';

/** Brotli and gzip copies beside each built file, served by @fastify/static with `preCompressed: true`. */
function compressAssets(): Plugin {
  let outDir = '';
  return {
    name: 'perennial-compress-assets',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await compressWebAssets({ root: outDir });
    },
  };
}

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [react(), routePreloads(), compressAssets()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
