/** Typed failures of backup, restore and tenant deletion; the CLI maps them to messages and exit codes. */
export type BackupErrorCode =
  | 'backup_invalid'
  | 'backup_incomplete'
  | 'schema_mismatch'
  | 'store_not_empty'
  | 'tenant_not_found';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
