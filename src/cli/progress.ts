/** A progress bar with rows/s on a terminal; silence otherwise (logs and CI stay clean). */
import cliProgress from 'cli-progress';

export type ProgressReporter = {
  update(label: string, done: number, total: number, rows: number): void;
  stop(): void;
};

export function createProgress({ interactive }: { interactive: boolean }): ProgressReporter {
  if (!interactive) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      format: ' {label} [{bar}] {percentage}% | {rows} rows | {rate} rows/s',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let current = '';
  return {
    update(label, done, total, rows) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const payload = { label: label.padEnd(17), rows, rate: Math.round(rows / seconds) };
      if (current !== label) {
        if (current !== '') bar.stop();
        bar.start(Math.max(total, 1), done, payload);
        current = label;
      } else {
        bar.update(done, payload);
      }
    },
    stop() {
      if (current !== '') bar.stop();
    },
  };
}
