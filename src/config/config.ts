/**
 * Configuration, parsed once at start-up from the environment. Nothing else reads `process.env`;
 * tests build a `Config` directly.
 */
import path from 'node:path';
import { z } from 'zod';

/** An empty variable (`DATABASE_URL=`) means "not set". */
function unsetWhenEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

const ConfigSchema = z.object({
  DATABASE_URL: unsetWhenEmpty(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  PERENNIAL_DATA_DIR: z.string().default('./.perennial/data'),
  PERENNIAL_TENANT: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, _ and - only')
    .default('default'),
  PERENNIAL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** The URL people reach Perennial at (links in emails, calendar feeds, secure cookies when https). */
  PERENNIAL_PUBLIC_URL: z.url().optional(),
  /** smtp://user:pass@host:port or smtps://…; without it, mail goes to PERENNIAL_MAIL_DIR as .eml files. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  PERENNIAL_MAIL_DIR: z.string().optional(),
  PERENNIAL_MAIL_FROM: z.string().default('Perennial <renewals@localhost>'),
  /** Signs links sent to customers (unsubscribe); at least 32 characters. Derived from the store when unset. */
  PERENNIAL_SECRET: unsetWhenEmpty(z.string().min(32, 'must be at least 32 characters').optional()),
  PERENNIAL_ADMIN_EMAIL: z.email().optional(),
  PERENNIAL_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /**
   * Behind a load balancer: which proxies' X-Forwarded-For to believe, so rate limits, lockout and
   * logs see the client's address. `true` (every hop), a hop count, or a comma-separated list of proxy
   * addresses / CIDRs. Unset: the header is ignored (a client cannot choose its own address).
   */
  PERENNIAL_TRUST_PROXY: unsetWhenEmpty(
    z
      .string()
      .regex(
        /^(true|false|\d{1,2}|[0-9a-fA-F:.]+(\/\d{1,3})?(\s*,\s*[0-9a-fA-F:.]+(\/\d{1,3})?)*)$/,
        'true, false, a hop count, or comma-separated proxy addresses/CIDRs',
      )
      .optional(),
  ),
});

/** Fastify's `trustProxy`: false, true, a hop count, or the trusted proxy addresses. */
export type TrustProxy = boolean | number | string[];

function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((part) => part.trim());
}

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  tenant: string;
  logLevel: z.infer<typeof ConfigSchema>['PERENNIAL_LOG_LEVEL'];
  port: number;
  host: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailDir: string | undefined;
  mailFrom: string;
  secret: string | undefined;
  admin: { email: string; password: string | undefined } | undefined;
  trustProxy: TrustProxy;
};

export class ConfigError extends Error {
  readonly code = 'config_invalid';
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const value = parsed.data;
  return {
    databaseUrl: value.DATABASE_URL,
    dataDir: path.resolve(value.PERENNIAL_DATA_DIR),
    tenant: value.PERENNIAL_TENANT,
    logLevel: value.PERENNIAL_LOG_LEVEL,
    port: value.PORT,
    host: value.HOST,
    publicUrl: value.PERENNIAL_PUBLIC_URL ?? `http://localhost:${value.PORT}`,
    smtpUrl: value.SMTP_URL,
    mailDir: value.PERENNIAL_MAIL_DIR ? path.resolve(value.PERENNIAL_MAIL_DIR) : undefined,
    mailFrom: value.PERENNIAL_MAIL_FROM,
    secret: value.PERENNIAL_SECRET,
    admin: value.PERENNIAL_ADMIN_EMAIL
      ? { email: value.PERENNIAL_ADMIN_EMAIL, password: value.PERENNIAL_ADMIN_PASSWORD }
      : undefined,
    trustProxy: parseTrustProxy(value.PERENNIAL_TRUST_PROXY),
  };
}
