/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each compressible file of the web build (web/dist),
 * so @fastify/static (`preCompressed: true`) serves them without compressing per request.
 * Run after `vite build` (npm run build:web).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/;
/** Below this a compressed copy saves less than the headers it costs. */
const MIN_BYTES = 1024;

export type CompressWebAssetsOptions = { root: string };
export type CompressWebAssetsResult = { files: number; rawBytes: number; brBytes: number; gzBytes: number };

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

export async function compressWebAssets({
  root,
}: CompressWebAssetsOptions): Promise<CompressWebAssetsResult> {
  const result: CompressWebAssetsResult = { files: 0, rawBytes: 0, brBytes: 0, gzBytes: 0 };
  for (const file of await listFiles(root)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const raw = await readFile(file);
    if (raw.length < MIN_BYTES) continue;
    const [br, gz] = await Promise.all([
      brotli(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      }),
      gzipAsync(raw, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
    result.files += 1;
    result.rawBytes += raw.length;
    result.brBytes += br.length;
    result.gzBytes += gz.length;
  }
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('../web/dist', import.meta.url));
  const { files, rawBytes, brBytes, gzBytes } = await compressWebAssets({ root });
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `compressed ${files} files in web/dist: ${kb(rawBytes)} → br ${kb(brBytes)}, gz ${kb(gzBytes)}`,
  );
}
