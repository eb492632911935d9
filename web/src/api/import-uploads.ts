/**
 * Import uploads: the files go as multipart/form-data through XMLHttpRequest, because fetch cannot
 * report upload progress (`POST /api/v1/imports/uploads`, the CSRF token echoed by hand as the typed
 * client does). The run's state (`GET /api/v1/imports/{importId}`, polled while queued or running)
 * and its problem report (`…/problems.csv`) go through the typed client.
 */
import { ApiProblem, api, call, type Schemas } from './client.ts';
import type { operations } from './schema';

export type ImportRunState = Schemas['ImportRunState'];
export type ImportStatus = ImportRunState['status'];
export type ImportFileSummary = Schemas['ImportSummary']['files'][number];
/** What a finished run's summary holds (runs imported by the CLI have no `converted`). */
export type ImportRunSummary = { rows: number; files: ImportFileSummary[]; warnings: string[] };
export type QueuedImport = operations['uploadImport']['responses'][202]['content']['application/json'];

export type ImportProblem = { file: string; line: string; column: string; problem: string };

export const IMPORT_PRESETS = ['salesforce', 'hubspot'] as const;
export type ImportPreset = (typeof IMPORT_PRESETS)[number];

/** The session's CSRF token, echoed on unsafe requests (as the typed client does). */
function csrfToken(): string | null {
  const match = /(?:^|;\s*)perennial_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

/** Sends the files; `onProgress` gets the bytes sent so far and the total. Resolves with the queued run. */
export function uploadImport({
  files,
  preset,
  onProgress,
}: {
  files: readonly File[];
  preset: ImportPreset | null;
  onProgress: (sent: number, total: number) => void;
}): Promise<QueuedImport> {
  const form = new FormData();
  if (preset) form.append('preset', preset);
  for (const file of files) form.append('files', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/imports/uploads');
    const token = csrfToken();
    if (token) request.setRequestHeader('X-CSRF-Token', token);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    request.onerror = () => reject(new ApiProblem(0, { detail: 'the upload did not reach the server' }));
    request.onload = () => {
      let body: Record<string, unknown> | undefined;
      try {
        body = JSON.parse(request.responseText) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      if (request.status === 202 && body && typeof body.id === 'number') {
        resolve(body as QueuedImport);
      } else {
        if (request.status === 401) window.dispatchEvent(new Event('perennial:signed-out'));
        reject(new ApiProblem(request.status, body));
      }
    };
    request.send(form);
  });
}

export function getImportRun(id: number): Promise<ImportRunState> {
  return call(api.GET('/api/v1/imports/{importId}', { params: { path: { importId: String(id) } } }));
}

/** A done run's summary, when it has the importer's shape. */
export function summaryOf(run: ImportRunState): ImportRunSummary | null {
  const summary = run.summary;
  if (!summary || typeof summary.rows !== 'number' || !Array.isArray(summary.files)) return null;
  return {
    rows: summary.rows,
    files: summary.files as ImportFileSummary[],
    warnings: Array.isArray(summary.warnings) ? (summary.warnings as string[]) : [],
  };
}

export function problemsUrl(id: number): string {
  return `/api/v1/imports/${encodeURIComponent(String(id))}/problems.csv`;
}

/** The first `limit` problems of a failed run, read from its CSV report. */
export async function getImportProblems(id: number, limit = 50): Promise<ImportProblem[]> {
  const text = await call(
    api.GET('/api/v1/imports/{importId}/problems.csv', {
      params: { path: { importId: String(id) } },
      parseAs: 'text',
    }),
  );
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const at = (name: string) => header.indexOf(name);
  const column = { file: at('file'), line: at('line'), column: at('column'), problem: at('problem') };
  return rows.slice(0, limit).map((row) => ({
    file: row[column.file] ?? '',
    line: row[column.line] ?? '',
    column: row[column.column] ?? '',
    problem: row[column.problem] ?? '',
  }));
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); empty lines dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      if (row.some((value) => value !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  row.push(field);
  if (row.some((value) => value !== '')) rows.push(row);
  return rows;
}
