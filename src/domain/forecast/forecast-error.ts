/**
 * Errors of the forecasting domain, each with a code the outer layers map to an exit code or HTTP
 * status, and a message that says what was wrong and where.
 */
export const FORECAST_ERROR_CODES = [
  'invalid_period',
  'invalid_range',
  'invalid_input',
  'insufficient_history',
] as const;
export type ForecastErrorCode = (typeof FORECAST_ERROR_CODES)[number];

export class ForecastError extends Error {
  readonly code: ForecastErrorCode;

  constructor(code: ForecastErrorCode, message: string) {
    super(message);
    this.name = 'ForecastError';
    this.code = code;
  }
}
