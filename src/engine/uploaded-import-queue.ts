/**
 * Uploaded imports run in the background of the API process, one at a time, in upload order. Each
 * upload gets its `import_runs` row at once (`queued`), then `running` with its progress (written at
 * most a few times a second) and a heartbeat, then `done` — in the import's own transaction, with
 * its summary and audit entry — or `failed` with every problem. The import is all or nothing, so a
 * failed run changed no business data.
 *
 * A run whose process died would stay `running`: `failAbandonedImports` (at start-up) and
 * `failStaleImport` (when a run is read) mark it failed once its heartbeat is older than
 * `STALE_AFTER_MS`. PGlite allows one process only, so at start-up every unfinished run there is
 * abandoned. (On PGlite other requests also wait while an import's transaction runs: progress is
 * visible on PostgreSQL.)
 */
import type { ImportProgress } from '../import/import-files.ts';
import type { CrmPreset } from '../import/presets/crm-presets.ts';
import { MappingError } from '../import/presets/mapping-spec.ts';
import { InputError, type Problem } from '../import/problems.ts';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/store.ts';
import type { StoredProblems } from './queries/import-runs.ts';
import { runUploadedImport, type UploadDir } from './run-uploaded-import.ts';

export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 60_000;
const PROGRESS_EVERY_MS = 250;

export const SERVER_STOPPED = 'the server stopped during the import';

export type UploadedImportJob = {
  tenantId: string;
  /** The user who uploaded (audit trail). */
  actor: string;
  /** The files as sent, in the upload's directory (removed when the run ends). */
  upload: UploadDir;
  files: string[];
  preset: CrmPreset | null;
};

export type UploadedImportQueue = {
  /** Writes the run's row as queued and schedules it; resolves with its id once the row is written. */
  enqueue: (job: UploadedImportJob) => Promise<{ id: number; status: 'queued' }>;
  /** Resolves once every import enqueued so far has ended (done or failed). */
  drain: () => Promise<void>;
};

const problemsOf = (items: Problem[], count = items.length): StoredProblems => ({ count, items });
const general = (message: string): Problem => ({ file: '', line: null, column: null, message });

export function createUploadedImportQueue({
  store,
  log,
  now,
}: {
  store: Store;
  log: Logger;
  now: () => Date;
}): UploadedImportQueue {
  let tail: Promise<void> = Promise.resolve();
  const unfinished = new Set<number>();
  let heartbeat: NodeJS.Timeout | null = null;
  let beating = false;

  // Tells other processes (and this one after a restart) which runs are alive: queued ones too.
  const beat = async () => {
    if (beating || unfinished.size === 0) return;
    beating = true;
    try {
      await store.execute(
        `UPDATE import_runs SET progress = coalesce(progress, '{}'::jsonb) || jsonb_build_object('beatAt', now())
          WHERE id = ANY($1) AND status IN ('queued', 'running')`,
        [[...unfinished]],
      );
    } catch (error) {
      log.warn({ err: error }, 'import heartbeat not written');
    } finally {
      beating = false;
    }
  };

  async function fail(id: number, problems: StoredProblems): Promise<void> {
    try {
      await store.execute(
        `UPDATE import_runs SET status = 'failed', finished_at = now(), progress = NULL, problems = $2
          WHERE id = $1 AND status <> 'done'`,
        [id, JSON.stringify(problems)],
      );
    } catch (error) {
      log.error({ err: error, importRun: id }, 'failed import not recorded');
    }
  }

  async function run(id: number, job: UploadedImportJob): Promise<void> {
    const progress = progressWriter(store, log, id);
    try {
      await store.execute(
        `UPDATE import_runs SET status = 'running', progress = jsonb_build_object('beatAt', now())
          WHERE id = $1 AND status = 'queued'`,
        [id],
      );
      await runUploadedImport({
        store,
        tenantId: job.tenantId,
        actor: job.actor,
        upload: job.upload,
        preset: job.preset,
        mapping: null,
        runId: id,
        onProgress: progress.report,
        now,
      });
      await progress.stop();
    } catch (error) {
      await progress.stop();
      if (error instanceof InputError) {
        await fail(id, problemsOf(error.problems.errors, error.problems.errorCount));
      } else if (error instanceof MappingError) {
        await fail(id, problemsOf(error.message.split('\n').map(general)));
      } else {
        log.error({ err: error, importRun: id, tenantId: job.tenantId }, 'uploaded import failed');
        await fail(id, problemsOf([general('the import failed on the server; the error has been logged')]));
      }
    } finally {
      unfinished.delete(id);
      if (unfinished.size === 0 && heartbeat) {
        clearInterval(heartbeat);
        heartbeat = null;
      }
      await job.upload.remove().catch(() => undefined);
    }
  }

  return {
    async enqueue(job) {
      // Run times are the database's clock, like finished_at (the import transaction's time).
      const [row] = await store.query<{ id: number }>(
        `INSERT INTO import_runs (tenant_id, started_at, finished_at, status, progress, files, summary)
         VALUES ($1, now(), NULL, 'queued', jsonb_build_object('beatAt', now()), $2, '{}') RETURNING id`,
        [job.tenantId, JSON.stringify(job.files)],
      );
      const id = Number(row!.id);
      unfinished.add(id);
      heartbeat ??= setInterval(() => void beat(), HEARTBEAT_MS).unref();
      tail = tail.then(() => run(id, job));
      return { id, status: 'queued' };
    },
    drain: () => tail,
  };
}

/** Writes a run's progress at most every PROGRESS_EVERY_MS, one write at a time, the latest last. */
function progressWriter(store: Store, log: Logger, id: number) {
  let latest: ImportProgress | null = null;
  let written: ImportProgress | null = null;
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const write = () => {
    if (writing || latest === written || latest === null) return;
    const progress = latest;
    writing = store
      .execute(
        `UPDATE import_runs SET progress = $2::jsonb || jsonb_build_object('beatAt', now())
          WHERE id = $1 AND status = 'running'`,
        [id, JSON.stringify(progress)],
      )
      .then(
        () => undefined,
        (error: unknown) => log.warn({ err: error, importRun: id }, 'import progress not written'),
      )
      .finally(() => {
        written = progress;
        writing = null;
      });
  };
  return {
    report(progress: ImportProgress) {
      latest = progress;
      timer ??= setInterval(write, PROGRESS_EVERY_MS).unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await writing;
    },
  };
}

const STOPPED: StoredProblems = problemsOf([general(SERVER_STOPPED)]);

/**
 * At start-up: marks failed the runs a stopped process left queued or running — on PGlite all of
 * them (one process), on PostgreSQL those whose heartbeat is older than STALE_AFTER_MS (other
 * processes may be importing). Returns how many.
 */
export async function failAbandonedImports({ store }: { store: Store }): Promise<number> {
  return store.execute(
    `UPDATE import_runs SET status = 'failed', finished_at = now(), progress = NULL, problems = $1
      WHERE status IN ('queued', 'running')
        AND coalesce((progress->>'beatAt')::timestamptz, started_at) <= now() - make_interval(secs => $2)`,
    [JSON.stringify(STOPPED), store.kind === 'pglite' ? 0 : STALE_AFTER_MS / 1000],
  );
}

/**
 * When a run is read: on PostgreSQL, a queued or running run whose heartbeat stopped (its process
 * died after this one started) is marked failed. On PGlite the start-up sweep has done it.
 */
export async function failStaleImport({
  store,
  tenantId,
  id,
}: {
  store: Store;
  tenantId: string;
  id: number;
}): Promise<void> {
  if (store.kind === 'pglite') return;
  await store.execute(
    `UPDATE import_runs SET status = 'failed', finished_at = now(), progress = NULL, problems = $3
      WHERE tenant_id = $1 AND id = $2 AND status IN ('queued', 'running')
        AND coalesce((progress->>'beatAt')::timestamptz, started_at) <= now() - make_interval(secs => $4)`,
    [tenantId, id, JSON.stringify(STOPPED), STALE_AFTER_MS / 1000],
  );
}
