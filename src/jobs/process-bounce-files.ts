/**
 * `perennial mail bounces --dir DIR`: reads the bounce mailbox as files — `DIR/*.eml` (what an MTA
 * pipe or a fetch script drops) and, maildir style, every file in `DIR/new` and `DIR/cur` — and
 * records each delivery status notification (`record-bounce.ts`).
 *
 * A report that was handled (recorded, already recorded, about a message Perennial did not send, or
 * about a successful delivery) is moved to `DIR/processed/`, so a re-run reads only new files; and a
 * re-run that does read one again (a crash before the move) changes nothing. A file that is not a
 * delivery report (a customer's reply in a shared mailbox), cannot be read, or failed to record is
 * left where it is and reported.
 */
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { readDeliveryStatus } from '../mail/read-delivery-status.ts';
import type { Store } from '../store/store.ts';
import { type RecordBounceResult, recordBounce } from './record-bounce.ts';

export type BounceFileResult = {
  /** Relative to the directory. */
  file: string;
  /** Relative to the directory; null when the file was left in place. */
  movedTo: string | null;
} & (
  | RecordBounceResult
  | { outcome: 'not_a_report'; reason: string }
  | { outcome: 'unreadable'; reason: string }
  | { outcome: 'error'; reason: string }
);

export type ProcessBounceFilesOptions = {
  store: Store;
  dir: string;
  secret: string;
  now: Date;
  tenantId?: string;
  /** Leave handled files in place (their effects still happen once). */
  keepFiles?: boolean;
};

export const PROCESSED_FOLDER = 'processed';
const MAX_BYTES = 25 * 1024 * 1024;

async function filesIn(dir: string, folder: string, onlyEml: boolean): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(dir, folder), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && folder !== '') return [];
    throw error;
  }
  return entries
    .filter(
      (e) => e.isFile() && !e.name.startsWith('.') && (!onlyEml || e.name.toLowerCase().endsWith('.eml')),
    )
    .map((e) => path.join(folder, e.name))
    .sort();
}

/** Moves `file` into `processed/` under a name not yet taken there. */
async function moveToProcessed(dir: string, file: string): Promise<string> {
  await mkdir(path.join(dir, PROCESSED_FOLDER), { recursive: true });
  const base = path.basename(file);
  for (let n = 0; ; n++) {
    const target = path.join(PROCESSED_FOLDER, n === 0 ? base : `${base}.${n}`);
    try {
      await stat(path.join(dir, target));
    } catch {
      await rename(path.join(dir, file), path.join(dir, target));
      return target;
    }
  }
}

export async function processBounceFiles({
  store,
  dir,
  secret,
  now,
  tenantId,
  keepFiles = false,
}: ProcessBounceFilesOptions): Promise<BounceFileResult[]> {
  const files = [
    ...(await filesIn(dir, '', true)),
    ...(await filesIn(dir, 'new', false)),
    ...(await filesIn(dir, 'cur', false)),
  ];
  const results: BounceFileResult[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    const size = (await stat(full)).size;
    if (size > MAX_BYTES) {
      results.push({ file, movedTo: null, outcome: 'unreadable', reason: `larger than ${MAX_BYTES} bytes` });
      continue;
    }
    const read = await readDeliveryStatus(await readFile(full));
    if ('notADeliveryReport' in read) {
      results.push({ file, movedTo: null, outcome: 'not_a_report', reason: read.notADeliveryReport });
      continue;
    }
    if ('problem' in read) {
      results.push({ file, movedTo: null, outcome: 'unreadable', reason: read.problem });
      continue;
    }
    let recorded: RecordBounceResult;
    try {
      recorded = await recordBounce({ store, notice: read.notice, secret, now, tenantId });
    } catch (error) {
      results.push({ file, movedTo: null, outcome: 'error', reason: (error as Error).message });
      continue;
    }
    results.push({ file, movedTo: keepFiles ? null : await moveToProcessed(dir, file), ...recorded });
  }
  return results;
}
