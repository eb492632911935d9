/**
 * An import of files sent over HTTP — a JSON body (`POST /imports`) or a multipart upload run in the
 * background (`POST /imports/uploads`). The files are saved into a temp directory (`createUploadDir`);
 * CRM exports are converted by a preset and/or mapping; the canonical files go through the same
 * all-or-nothing `importFiles` as `perennial import`. The run's record (a new `import_runs` row, or the
 * upload's queued row marked done) and its audit entry are written in the import's transaction.
 * Problems name the files as sent, never the temp directory.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type ImportProgress,
  type ImportSummary,
  importFiles,
  insertImportRun,
} from '../import/import-files.ts';
import {
  type ConvertedFile,
  combineMappings,
  convertCrmExports,
} from '../import/presets/convert-crm-export.ts';
import { CRM_PRESETS, type CrmPreset } from '../import/presets/crm-presets.ts';
import { MappingError, parseMappingSpec } from '../import/presets/mapping-spec.ts';
import { InputError, ProblemLog } from '../import/problems.ts';
import type { SqlSession, Store } from '../store/store.ts';
import { writeAuditEntry } from './queries/audit-trail.ts';

export type UploadedImportSummary = ImportSummary & {
  /** How CRM export files became canonical files; null without preset or mapping. */
  converted: ConvertedFile[] | null;
};

export type UploadDir = {
  dir: string;
  sourceDir: string;
  canonicalDir: string;
  /** Writes one file (its base name only) and returns its size in bytes. */
  save: (name: string, content: string | Readable) => Promise<number>;
  remove: () => Promise<void>;
};

export async function createUploadDir(): Promise<UploadDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-api-import-'));
  const sourceDir = path.join(dir, 'source');
  const canonicalDir = path.join(dir, 'canonical');
  await mkdir(sourceDir);
  await mkdir(canonicalDir);
  return {
    dir,
    sourceDir,
    canonicalDir,
    async save(name, content) {
      const target = path.join(sourceDir, path.basename(name));
      if (typeof content === 'string') await writeFile(target, content);
      else await pipeline(content, createWriteStream(target));
      return (await stat(target)).size;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export type RunUploadedImportOptions = {
  store: Store;
  tenantId: string;
  /** Who imports (a user id), for the audit trail. */
  actor: string;
  upload: UploadDir;
  preset: CrmPreset | null;
  /** A mapping document (JSON), checked here; it wins over the preset for the files it matches. */
  mapping: unknown;
  /** The upload's queued `import_runs` row, marked done; null inserts a new row. */
  runId: number | null;
  onProgress?: (progress: ImportProgress) => void;
  now: () => Date;
};

export async function runUploadedImport({
  store,
  tenantId,
  actor,
  upload,
  preset,
  mapping,
  runId,
  onProgress,
  now,
}: RunUploadedImportOptions): Promise<UploadedImportSummary> {
  try {
    let converted: ConvertedFile[] | null = null;
    let warnings: string[] = [];
    let importDir = upload.sourceDir;
    if (preset || mapping) {
      const spec = combineMappings(
        mapping ? parseMappingSpec(mapping, 'mapping') : null,
        preset ? CRM_PRESETS[preset] : null,
      );
      const report = await convertCrmExports({
        inputs: [upload.sourceDir],
        mapping: spec,
        outputDir: upload.canonicalDir,
      });
      converted = report.files;
      warnings = report.warnings;
      importDir = upload.canonicalDir;
    }
    let result: UploadedImportSummary | null = null;
    await importFiles({
      store,
      tenantId,
      inputs: [importDir],
      now,
      ...(onProgress ? { onProgress } : {}),
      async recordRun(tx, run) {
        result = { ...run.summary, warnings: [...warnings, ...run.summary.warnings], converted };
        const id =
          runId === null
            ? await insertImportRun(tx, tenantId, { ...run, summary: result })
            : await markUploadDone(tx, tenantId, runId, result);
        await writeAuditEntry(tx, {
          tenantId,
          at: now(),
          actor,
          action: 'import',
          entity: 'import',
          entityId: String(id),
          changes: { files: { old: null, new: result.files } },
        });
      },
    });
    return result!;
  } catch (error) {
    throw withoutUploadPaths(error, upload.dir);
  }
}

async function markUploadDone(
  tx: SqlSession,
  tenantId: string,
  runId: number,
  summary: UploadedImportSummary,
): Promise<number> {
  // finished_at is the transaction's time, like an inserted run's (the daily run relies on it).
  const changed = await tx.execute(
    `UPDATE import_runs SET status = 'done', finished_at = now(), progress = NULL, problems = NULL, summary = $3
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, runId, JSON.stringify(summary)],
  );
  if (changed !== 1) throw new Error(`import run ${runId} of ${tenantId} is gone`);
  return runId;
}

/** The same error with the temp directory taken out of file names and messages. */
function withoutUploadPaths(error: unknown, dir: string): unknown {
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inside = new RegExp(`${escaped}(?:[/\\\\](?:source|canonical))?[/\\\\]`, 'g');
  const itself = new RegExp(`${escaped}(?:[/\\\\](?:source|canonical))?`, 'g');
  const clean = (text: string) => text.replace(inside, '').replace(itself, 'the upload');
  if (error instanceof MappingError) return new MappingError(clean(error.message));
  if (!(error instanceof InputError)) return error;
  const log = new ProblemLog(error.problems.cap);
  for (const problem of error.problems.errors)
    log.error({ ...problem, file: clean(problem.file), message: clean(problem.message) });
  for (const problem of error.problems.warnings)
    log.warn({ ...problem, file: clean(problem.file), message: clean(problem.message) });
  log.errorCount = error.problems.errorCount;
  log.warningCount = error.problems.warningCount;
  return new InputError(log);
}
