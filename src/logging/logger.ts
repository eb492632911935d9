/** Structured logs (pino) to stderr; the level comes from configuration. Never log secrets or personal data. */
import pino, { type Logger } from 'pino';
import type { Config } from '../config/config.ts';

export type { Logger };

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'perennial' } }, pino.destination(2));
}
