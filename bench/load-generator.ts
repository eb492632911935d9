/**
 * The HTTP load generator, run as its own process (`node --import tsx bench/load-generator.ts JSON`)
 * so autocannon does not share an event loop with the server it measures. Cycles through the given
 * paths and prints requests/s and latency percentiles (from every response's time) as one JSON line.
 */
import autocannon from 'autocannon';

export type LoadTarget = {
  url: string;
  paths: string[];
  /** Added to the shared headers for this target (e.g. `accept-encoding`). */
  headers?: Record<string, string>;
};

export type LoadOptions = {
  /** Measured one after another, each on its own. */
  targets: LoadTarget[];
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Stop after this many requests instead (smoke runs); 0: run for the duration. */
  amount: number;
};

export type LoadResult = {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** Requests that got no answer within autocannon's 10 s timeout. */
  timeouts: number;
};

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}

async function measureTarget(options: LoadOptions, target: LoadTarget): Promise<LoadResult> {
  let next = 0;
  const times: number[] = [];
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url: target.url,
    connections: options.connections,
    ...(options.amount > 0 ? { amount: options.amount } : { duration: options.durationSeconds }),
    headers: { ...options.headers, ...target.headers },
    requests: [
      {
        setupRequest: (request) => {
          const path = target.paths[next % target.paths.length]!;
          next += 1;
          return { ...request, path };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => {
    times.push(time);
  });
  const result = await instance;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  times.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(times.length / seconds),
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    p99Ms: percentile(times, 99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const results: LoadResult[] = [];
for (const target of options.targets) results.push(await measureTarget(options, target));
process.stdout.write(`${JSON.stringify(results)}\n`);
