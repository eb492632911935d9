/**
 * Errors the domain raises, each with a code the outer layers map to an exit code or HTTP status and
 * a message that tells the user what to fix.
 */
export const DOMAIN_ERROR_CODES = ['missing_fx_rate'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: DomainErrorCode;

  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
  }
}
