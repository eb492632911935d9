/**
 * Where mail goes: an SMTP server (nodemailer, pooled) when `SMTP_URL` is set, otherwise — in
 * development — one readable `.eml` file per message in `PERENNIAL_MAIL_DIR`. Without either there is
 * no mail transport and emails stay queued (webhooks still go out).
 *
 * Failures are classified once, here: an SMTP 5xx reply (recipient or message refused) is permanent
 * (`bounced`); anything else — connection refused, timeouts, 4xx — is transient and retried.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Config } from '../config/config.ts';
import type { OutgoingMail } from './compose-email.ts';
import { headerValue } from './header-value.ts';

export type MailTransport = {
  kind: 'smtp' | 'directory';
  /** For logs and CLI output, without credentials. */
  describe: string;
  send(mail: OutgoingMail): Promise<{ response: string }>;
  close(): Promise<void>;
};

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** Permanent failures are not retried. */
    readonly permanent: boolean,
    /** The outbox status a permanent failure records (`bounced` for refused mail). */
    readonly status: 'failed' | 'bounced' = 'failed',
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The nodemailer message, every header value stripped of line breaks once more at this boundary. */
export function toNodemailer(mail: OutgoingMail): Mail.Options {
  return {
    from: headerValue(mail.from),
    to: mail.to.name
      ? { name: headerValue(mail.to.name), address: headerValue(mail.to.address) }
      : headerValue(mail.to.address),
    subject: headerValue(mail.subject),
    text: mail.text,
    html: mail.html,
    date: mail.date,
    messageId: `<${headerValue(mail.messageId)}>`,
    headers: Object.fromEntries(
      Object.entries(mail.headers).map(([name, value]) => [headerValue(name), headerValue(value)]),
    ),
    // The envelope is exactly the one recipient: nothing in a header can add another.
    envelope: { from: headerValue(mail.from), to: [headerValue(mail.to.address)] },
  };
}

function classify(error: unknown): DeliveryError {
  const e = error as { message?: string; responseCode?: number; code?: string; response?: string };
  const detail = headerValue(e.response ?? e.message ?? String(error)).slice(0, 500);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500)
    return new DeliveryError(`SMTP ${e.responseCode}: ${detail}`, true, 'bounced');
  return new DeliveryError(detail, false);
}

export function createSmtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const safe = url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  return {
    kind: 'smtp',
    describe: `SMTP ${safe}`,
    async send(mail) {
      try {
        const info = await transporter.sendMail(toNodemailer(mail));
        return { response: headerValue(String(info.response ?? 'accepted')).slice(0, 500) };
      } catch (error) {
        throw classify(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}

/** Development: each message as `<dir>/<day>_<tenant>_<template>_<hash>.eml` (a re-send overwrites the same file). */
export function createMailDirTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'directory',
    describe: `.eml files in ${dir}`,
    async send(mail) {
      const info = await transporter.sendMail(toNodemailer(mail));
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, mail.fileName);
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, info.message as Buffer);
      await rename(temporary, file);
      return { response: `written to ${file}` };
    },
    async close() {
      transporter.close();
    },
  };
}

/** The configured transport: SMTP, else the mail directory, else none. */
export function createMailTransport(config: Pick<Config, 'smtpUrl' | 'mailDir'>): MailTransport | null {
  if (config.smtpUrl) return createSmtpTransport(config.smtpUrl);
  if (config.mailDir) return createMailDirTransport(config.mailDir);
  return null;
}
