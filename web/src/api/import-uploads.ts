/**
 * Import uploads over multipart/form-data, with upload progress (XMLHttpRequest: fetch cannot report
 * it), the run's status for polling and its problem report. Written against the agreed contract of
 * `POST /api/v1/imports/uploads`, `GET /api/v1/imports/{id}` and `GET /api/v1/imports/{id}/problems.csv`
 * by hand, not through openapi-fetch: those routes were not in the generated schema yet. Switch to
 * `api.GET(...)` once `npm run api:types` picks them up.
 */
import { ApiProblem } from './client.ts';

/** The session's CSRF token, echoed on unsafe requests (as the typed client does). */
function csrfToken(): string | null {
  const match = /(?:^|;\s*)perennial_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export type ImportRunState = {
  id: number | string;
  status: ImportStatus;
  startedAt: string;
  finishedAt: string | null;
  files: string[];
  progress: { file: string; rows: number; bytesRead: number; sizeBytes: number } | null;
  summary: Record<string, unknown> | null;
  problemCount: number;
};

export type ImportProblem = { file: string; line: string; column: string; problem: string };

export const IMPORT_PRESETS = ['salesforce', 'hubspot'] as const;
export type ImportPreset = (typeof IMPORT_PRESETS)[number];

const BASE = '/api/v1/imports';

async function problemOf(response: Response): Promise<ApiProblem> {
  let body: Record<string, unknown> | undefined;
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return new ApiProblem(response.status, body);
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
}): Promise<{ id: number | string; status: ImportStatus }> {
  const form = new FormData();
  if (preset) form.append('preset', preset);
  for (const file of files) form.append('files', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${BASE}/uploads`);
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
      if (request.status >= 200 && request.status < 300 && body && 'id' in body) {
        resolve(body as { id: number | string; status: ImportStatus });
      } else {
        if (request.status === 401) window.dispatchEvent(new Event('perennial:signed-out'));
        reject(new ApiProblem(request.status, body));
      }
    };
    request.send(form);
  });
}

export async function getImportRun(id: number | string): Promise<ImportRunState> {
  const response = await fetch(`${BASE}/${encodeURIComponent(String(id))}`, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as ImportRunState;
}

export function problemsUrl(id: number | string): string {
  return `${BASE}/${encodeURIComponent(String(id))}/problems.csv`;
}

/** The first `limit` problems of a failed run, read from its CSV report. */
export async function getImportProblems(id: number | string, limit = 50): Promise<ImportProblem[]> {
  const response = await fetch(problemsUrl(id));
  if (!response.ok) throw await problemOf(response);
  const [header, ...rows] = parseCsv(await response.text());
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
