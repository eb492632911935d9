/**
 * `npm run bench [-- --size 10k|100k|1m --store pglite|postgres|both --sections import,daily,…]`:
 * measures and writes bench/results/<date>-bench-<size>-<store>.{json,md}. Figures are ratios to
 * baselines measured in the same run. Older options still work: `--accounts N` (same as `--size N`)
 * and `--usage-rows N` (adds the synthetic usage.csv import).
 *
 * The `ui` section (bench/ui-bench.ts) measures the CSM home and the pipeline's time to interactive in
 * headless Chromium (Debian's /usr/bin/chromium) and the gzipped initial JavaScript; it imports and
 * runs the portfolio itself, so `--sections ui` works alone, and builds web/dist when it is stale.
 */
import { parseArgs } from 'node:util';
import { benchMarkdown, runBench, SECTIONS, type Section } from './bench.ts';
import { parseSize, type StoreKind, sizeLabel, writeResults } from './support.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string' },
    accounts: { type: 'string' },
    'usage-rows': { type: 'string', default: '0' },
    store: { type: 'string', default: 'both' },
    sections: { type: 'string', default: SECTIONS.join(',') },
    connections: { type: 'string', default: '32' },
    'api-seconds': { type: 'string', default: '10' },
    'database-url': {
      type: 'string',
      default: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const accounts = parseSize(values.size ?? values.accounts ?? '10k');
const kinds: StoreKind[] = values.store === 'both' ? ['pglite', 'postgres'] : [values.store as StoreKind];
const sections = new Set(values.sections.split(',').map((name) => name.trim()) as Section[]);
for (const section of sections) {
  if (!SECTIONS.includes(section)) throw new RangeError(`--sections: unknown section ${section}`);
}

const result = await runBench({
  accounts,
  kinds,
  databaseUrl: values['database-url'],
  sections,
  load: {
    connections: Number(values.connections),
    durationSeconds: Number(values['api-seconds']),
    amount: 0,
  },
  usageRows: Number(values['usage-rows']),
  log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
});
const markdown = benchMarkdown(result);
const partial = sections.size < SECTIONS.length ? `-${[...sections].join('-')}` : '';
const base = await writeResults(`bench-${sizeLabel(accounts)}-${values.store}${partial}`, result, markdown);
process.stdout.write(`${markdown}\n\nwritten to ${base}.json and .md\n`);
