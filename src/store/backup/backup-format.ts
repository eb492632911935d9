/**
 * The backup file: gzip-compressed JSON lines.
 *
 *   {"@":"backup","format":"perennial-backup","formatVersion":1,"schema":{…},"store":"pglite","createdAt":"…"}
 *   {"@":"table","table":"accounts","columns":["tenant_id",…]}
 *   {"tenant_id":"default","account_id":"A-1",…}        ← one line per row: PostgreSQL's row_to_json
 *   {"@":"end","table":"accounts","rows":1234}
 *   …
 *   {"@":"complete","tables":{"accounts":1234,…}}
 *
 * Row lines are copied as PostgreSQL wrote them (never parsed into JS numbers), so bigints, doubles,
 * timestamps, arrays and jsonb come back exactly. A control line starts with `{"@":` — no column can be
 * named `@`. A file without its `complete` line is truncated and is refused.
 */
export const BACKUP_FORMAT = 'perennial-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const CONTROL_PREFIX = '{"@":';

export type BackupHeader = {
  '@': 'backup';
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  schema: { migrations: number; lastMigrationAt: number | null };
  store: 'pglite' | 'postgres';
  createdAt: string;
};

export type TableStart = { '@': 'table'; table: string; columns: string[] };
export type TableEnd = { '@': 'end'; table: string; rows: number };
export type BackupComplete = { '@': 'complete'; tables: Record<string, number> };
export type ControlLine = BackupHeader | TableStart | TableEnd | BackupComplete;

export type BackupSummary = { file: string; tables: Record<string, number>; rows: number; bytes: number };
