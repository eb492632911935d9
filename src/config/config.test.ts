import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      tenant: 'default',
      port: 3000,
      host: '127.0.0.1',
    });
    expect(config.dataDir.endsWith('.perennial/data')).toBe(true);
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty', SMTP_URL: 'http://mail' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', PORT: 'eighty' });
    } catch (error) {
      expect((error as Error).message).toContain('DATABASE_URL: must be a postgres:// URL');
      expect((error as Error).message).toContain('PORT');
    }
  });

  it('reads the first admin only with an email', () => {
    expect(loadConfig({ PERENNIAL_ADMIN_PASSWORD: 'long enough secret' }).admin).toBeUndefined();
    expect(
      loadConfig({ PERENNIAL_ADMIN_EMAIL: 'ops@example.com', PERENNIAL_ADMIN_PASSWORD: 'long enough secret' })
        .admin,
    ).toEqual({ email: 'ops@example.com', password: 'long enough secret' });
  });

  it('trusts no proxy unless told which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ PERENNIAL_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ PERENNIAL_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ PERENNIAL_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ PERENNIAL_TRUST_PROXY: 'everyone' })).toThrow(/PERENNIAL_TRUST_PROXY/);
  });
});
