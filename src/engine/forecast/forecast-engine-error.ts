/** Errors of the forecasting use cases, each with a code the CLI maps to a message and exit code. */
export const FORECAST_ENGINE_ERROR_CODES = ['unknown_contract', 'unknown_user', 'renewal_closed'] as const;
export type ForecastEngineErrorCode = (typeof FORECAST_ENGINE_ERROR_CODES)[number];

export class ForecastEngineError extends Error {
  readonly code: ForecastEngineErrorCode;

  constructor(code: ForecastEngineErrorCode, message: string) {
    super(message);
    this.name = 'ForecastEngineError';
    this.code = code;
  }
}
