/** Typed failures of the record queries and changes; the API maps each code to one HTTP status. */
export type RecordErrorCode = 'not_found' | 'version_conflict' | 'invalid_value' | 'unknown_user';

export class RecordError extends Error {
  constructor(
    readonly code: RecordErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

/**
 * The record as read for update, or the error an edit gets when it is missing or has moved on since
 * the caller read it (optimistic locking: nothing is written, the caller reloads and reapplies).
 */
export function requireVersion<Row extends { version: number }>(
  row: Row | null | undefined,
  { label, expectedVersion }: { label: string; expectedVersion: number },
): Row {
  if (!row) throw new RecordError('not_found', `no ${label}`);
  if (row.version !== expectedVersion) {
    throw new RecordError(
      'version_conflict',
      `${label} is at version ${row.version}, not ${expectedVersion}; reload and apply your change again`,
      { currentVersion: row.version },
    );
  }
  return row;
}
