/**
 * Mail settings from the parsed configuration.
 *
 * The unsubscribe-link secret is `PERENNIAL_SECRET`; without it, it is derived from the store location
 * (the PostgreSQL URL includes its password), so every process of one installation derives the same
 * value and links signed by one worker verify in the API.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/config.ts';
import type { MailSettings } from './compose-email.ts';

export function mailSettingsFrom(
  config: Pick<Config, 'mailFrom' | 'publicUrl' | 'databaseUrl' | 'dataDir' | 'secret'>,
): MailSettings {
  return {
    from: config.mailFrom,
    publicUrl: config.publicUrl,
    unsubscribeSecret: createHash('sha256')
      .update(`perennial-unsubscribe\n${config.secret ?? config.databaseUrl ?? config.dataDir}`)
      .digest('hex'),
  };
}
