/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, random port): every accepted message is
 * parsed (mailparser) and kept with its envelope, so tests assert on what a receiver actually got.
 * Options: refuse recipients (550), slow down acceptance (to give chaos tests time to kill workers).
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  messageId: string;
  envelopeFrom: string;
  envelopeTo: string[];
  subject: string;
  date: Date | undefined;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  headerLines: ParsedMail['headerLines'];
  raw: string;
};

export type SmtpSink = {
  port: number;
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
};

export async function startSmtpSink({
  refuse = () => false,
  delayMs = () => 0,
}: {
  refuse?: (address: string) => boolean;
  delayMs?: () => number;
} = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 5 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (refuse(address.address)) {
        const error = new Error(`5.1.1 <${address.address}>: mailbox unavailable`) as Error & {
          responseCode: number;
        };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then(
          (parsed) => {
            setTimeout(() => {
              received.push({
                messageId: parsed.messageId ?? '',
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                subject: parsed.subject ?? '',
                date: parsed.date,
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                headers: parsed.headers,
                headerLines: parsed.headerLines,
                raw,
              });
              callback(null, 'queued');
            }, delayMs());
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
