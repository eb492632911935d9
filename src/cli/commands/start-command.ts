import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { randomSecret } from '../../auth/secrets.ts';
import { setPassword } from '../../auth/user-accounts.ts';
import { generateDemo } from '../../demo/generate-demo.ts';
import { seedDemoProcessHistory } from '../../demo/seed-demo-process-history.ts';
import { summarizePortfolio } from '../../engine/portfolio-summary.ts';
import { daysToRun, runDays } from '../../engine/run-daily.ts';
import { importFiles } from '../../import/import-files.ts';
import { startScheduler } from '../../jobs/scheduler.ts';
import { openStore } from '../../store/open-store.ts';
import type { Store } from '../../store/store.ts';
import type { CliContext } from '../context.ts';
import { today } from '../dates.ts';
import { serveUntilStopped } from '../serve-until-stopped.ts';
import { describeDay } from './run-command.ts';

const DEMO_ACCOUNTS = 500;
const DEMO_SEED = 42;
const DEMO_ROLES = ['csm', 'manager', 'executive', 'finance', 'admin'] as const;

/** Where the demo sign-in is kept for the operator (beside the embedded data directory). */
function demoSignInFile(ctx: CliContext): string {
  return path.join(path.dirname(ctx.config.dataDir), 'demo-sign-in.txt');
}

/** Gives the demo's people one generated password, so each role's home can be tried; saved for the operator. */
async function enableDemoSignIn(ctx: CliContext, store: Store): Promise<string> {
  const tenantId = ctx.config.tenant;
  const password = randomSecret('', 12);
  const people = await store.query<{ user_id: string; email: string; role: string }>(
    `SELECT DISTINCT ON (role) user_id, email, role FROM users
      WHERE tenant_id = $1 AND role = ANY($2) AND NOT disabled ORDER BY role, user_id`,
    [tenantId, DEMO_ROLES],
  );
  for (const person of people) {
    await setPassword({ session: store, tenantId, userId: person.user_id, password });
  }
  const lines = [
    `Demo sign-in for ${ctx.config.publicUrl} (tenant ${tenantId}); password for each: ${password}`,
    ...people.map((person) => `  ${person.role.padEnd(10)} ${person.email}`),
  ];
  const file = demoSignInFile(ctx);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return lines.join('\n');
}

async function loadDemo(ctx: CliContext, store: Store, asOf: string): Promise<void> {
  ctx.out(
    `The store is empty: loading a demo portfolio of ${DEMO_ACCOUNTS} accounts (seed ${DEMO_SEED}) as of ${asOf}…`,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-demo-'));
  try {
    await generateDemo({ accounts: DEMO_ACCOUNTS, seed: DEMO_SEED, asOf, outputDir: dir });
    const imported = await importFiles({ store, tenantId: ctx.config.tenant, inputs: [dir] });
    const history = await seedDemoProcessHistory({ store, tenantId: ctx.config.tenant, seed: DEMO_SEED });
    ctx.out(
      `loaded ${imported.rows} rows; process history for ${history.renewals} closed renewals (${history.tasks} tasks, ${history.stageChanges} stage changes)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function showBook(ctx: CliContext, store: Store, asOf: string): Promise<void> {
  const summary = await summarizePortfolio(store, ctx.config.tenant, asOf);
  ctx.out('');
  ctx.out(
    `Book as of ${summary.asOf}: ${summary.accounts} accounts — ${summary.bands.green} green, ${summary.bands.yellow} yellow, ${summary.bands.red} red`,
  );
  ctx.out(`Renewals due in the next 90 days: ${summary.renewalsDue90}`);
  ctx.out(
    `Open tasks: ${summary.openTasks} (${summary.overdueTasks} overdue); customer emails queued: ${summary.queuedEmails}`,
  );
  if (summary.atRisk.length > 0) {
    ctx.out('At-risk renewals (soonest first):');
    for (const item of summary.atRisk) {
      ctx.out(
        `  ${item.dueDate}  ${item.contractId.padEnd(10)} ${item.accountName.padEnd(32)} ${item.arr.padStart(18)}  ${item.flags.join(', ')}`,
      );
    }
  }
}

/**
 * `npm start`: the main job on the configured store. Loads the demo portfolio when the store is
 * empty, runs the engine up to today (catching up missed days), shows the book, then serves the web
 * workspace and the API until stopped (`--no-serve` to stop after the run).
 */
export function registerStart(program: Command, context: () => CliContext): void {
  program
    .command('start')
    .description(
      'load the demo if the store is empty, run the engine up to today, show the book, and serve the workspace',
    )
    .option('--as-of <date>', 'run up to this day instead of today')
    .option('--no-serve', 'stop after the run instead of serving the workspace')
    .action(async (options: { asOf?: string; serve: boolean }) => {
      const ctx = context();
      const asOf = options.asOf ?? today();
      const store = await openStore(ctx.config);
      let handedOver = false;
      try {
        const tenantId = ctx.config.tenant;
        ctx.out(`Perennial — store: ${store.kind} (${store.location}), tenant ${tenantId}`);
        const [existing] = await store.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM accounts WHERE tenant_id = $1',
          [tenantId],
        );
        let signIn: string | null = null;
        if ((existing?.n ?? 0) === 0) {
          await loadDemo(ctx, store, asOf);
          signIn = await enableDemoSignIn(ctx, store);
        }
        const { days, skippedBefore } = await daysToRun({
          session: store,
          tenantId,
          asOf,
          maxCatchUpDays: 14,
        });
        if (skippedBefore) ctx.out(`(last run was before ${skippedBefore}; catching up the last 14 days)`);
        await runDays({ store, tenantId, days, onDay: (report) => ctx.out(describeDay(report)) });
        await showBook(ctx, store, asOf);
        ctx.out('');
        if (signIn) ctx.out(signIn);
        else {
          const saved = await readFile(demoSignInFile(ctx), 'utf8').catch(() => null);
          if (saved) ctx.out(`Demo sign-in: see ${demoSignInFile(ctx)}`);
        }
        ctx.out('CLI: npx perennial --help (import, export, evaluate, quote, forecast, proposal, policy …)');
        if (!options.serve) return;
        handedOver = true;
        await serveUntilStopped({
          ctx,
          store,
          port: ctx.config.port,
          host: ctx.config.host,
          background: () => startScheduler({ store, config: ctx.config, log: ctx.log }),
        });
      } finally {
        if (!handedOver) await store.close();
      }
    });
}
