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
