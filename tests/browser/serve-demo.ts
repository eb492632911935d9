/** Runs the browser tests' demo app until stopped, for working on the web workspace by hand. */
import { startDemoApp } from './demo-app.ts';

const demo = await startDemoApp();
process.stdout.write(
  `${demo.url}\n${[demo.csm, demo.manager, demo.executive].map((p) => `${p.email} / ${p.password}`).join('\n')}\n`,
);
process.on('SIGTERM', () => void demo.close().then(() => process.exit(0)));
