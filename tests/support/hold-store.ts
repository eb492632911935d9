/** Test helper process: opens the embedded store the way the CLI does, holds it until SIGTERM, then closes. */
import { openPgliteStore } from '../../src/store/pglite-store.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: hold-store DATA_DIR');
const store = await openPgliteStore({ dataDir });
process.once('SIGTERM', () => {
  void store.close().then(() => process.exit(0));
});
process.stdout.write('ready\n');
setInterval(() => undefined, 1000);
