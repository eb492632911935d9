import { describe, expect, it } from 'vitest';
import { chooseCustomerLanguage, formattingLocale, userLanguage } from './choose-language.ts';
import {
  type AccountFacts,
  type CustomerEmailPayload,
  composeCustomerEmail,
  composeDigestEmail,
  type MailSettings,
  messageIdFor,
  type OutboxMessage,
} from './compose-email.ts';
import { CUSTOMER_TEMPLATE_KEYS } from './customer-templates.ts';
import { formatAmount, formatDay } from './format-for-reader.ts';
import { addressProblem, headerValue } from './header-value.ts';
import { escapeText, foldLine } from './render-calendar.ts';
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token.ts';

const settings: MailSettings = {
  from: 'Acme Renewals <renewals@vendor.example>',
  publicUrl: 'https://perennial.vendor.example/',
  unsubscribeSecret: 'secret',
};
const now = new Date('2027-01-30T21:00:00Z');

function message(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: 1,
    tenantId: 'acme',
    idempotencyKey: 'C-2:renewal-proposal:aiko@kobe.example',
    kind: 'customer_email',
    contractId: 'C-2',
    recipient: 'aiko@kobe.example',
    template: 'renewal-one-click',
    payload: {},
    dueOn: '2027-01-31',
    attempts: 1,
    ...overrides,
  };
}

function payload(overrides: Partial<CustomerEmailPayload> = {}): CustomerEmailPayload {
  return {
    accountId: 'A-2',
    accountName: 'Kobe Tax KK',
    recipientName: '佐藤 愛子',
    audience: 'primary_contact',
    milestone: 'T-60',
    dueDate: '2027-03-31',
    noticeDeadline: '2027-01-30',
    arr: { amount: '9000000', currency: 'JPY' },
    timezone: 'Asia/Tokyo',
    ...overrides,
  };
}

const japan: AccountFacts = {
  country: 'JP',
  timezone: 'Asia/Tokyo',
  usage: { activeUsers: 36, licensedSeats: 40 },
};
const germany: AccountFacts = { country: 'DE', timezone: 'Europe/Berlin', usage: null };

describe('language and formatting', () => {
  it('picks the customer language from the country, then the zone, else English', () => {
    expect(chooseCustomerLanguage({ country: 'JP', timezone: 'UTC' })).toBe('ja');
    expect(chooseCustomerLanguage({ country: 'de', timezone: null })).toBe('de');
    expect(chooseCustomerLanguage({ country: 'AT', timezone: null })).toBe('de');
    expect(chooseCustomerLanguage({ country: 'CH', timezone: 'Europe/Zurich' })).toBe('de');
    // A country decides even against the zone: a US account run from Tokyo gets English.
    expect(chooseCustomerLanguage({ country: 'US', timezone: 'Asia/Tokyo' })).toBe('en');
    expect(chooseCustomerLanguage({ country: null, timezone: 'Asia/Tokyo' })).toBe('ja');
    expect(chooseCustomerLanguage({ country: null, timezone: 'Europe/Vienna' })).toBe('de');
    expect(chooseCustomerLanguage({ country: null, timezone: null })).toBe('en');
    expect(userLanguage('ja-JP')).toBe('ja');
    expect(userLanguage('de')).toBe('de');
    expect(userLanguage('fr')).toBe('en');
    expect(formattingLocale('de', 'CH')).toBe('de-CH');
    expect(formattingLocale('en', 'GB')).toBe('en-GB');
    expect(formattingLocale('ja', null)).toBe('ja-JP');
  });

  it('formats dates per locale and money per currency (JPY without decimals)', () => {
    expect(formatDay('2027-03-31', 'en-US')).toBe('March 31, 2027');
    expect(formatDay('2027-03-31', 'ja-JP')).toBe('2027年3月31日');
    expect(formatDay('2027-03-31', 'de-DE')).toBe('31. März 2027');
    expect(formatAmount(9_000_000, 'JPY', 'ja-JP')).toBe('￥9,000,000');
    expect(formatAmount(9_000_000, 'JPY', 'en-US')).toBe('¥9,000,000');
    expect(formatAmount(4_500_050, 'EUR', 'de-DE')).toBe('45.000,50\u00a0€');
    expect(formatAmount(12_000_000, 'USD', 'en-US')).toBe('$120,000.00');
    // Exact beyond float precision: the decimal string goes to Intl.
    expect(formatAmount(900_719_925_474_099, 'USD', 'en-US')).toBe('$9,007,199,254,740.99');
  });
});

describe('header hygiene', () => {
  it('strips every kind of line break and control character from header values', () => {
    expect(headerValue('Acme\r\nBcc: x@evil.example')).toBe('Acme Bcc: x@evil.example');
    expect(headerValue('a\nb\rc\u2028d\u2029e\u0085f\u0000g')).toBe('a b c d e f g');
    expect(headerValue('tab\tstays')).toBe('tab\tstays');
    expect(addressProblem('ok@example.com')).toBeNull();
    expect(addressProblem('ok@example.com\r\nBcc: x@evil.example')).toMatch(/line break/);
    expect(addressProblem('not an address')).toMatch(/not an email address/);
    expect(addressProblem(null)).toMatch(/no recipient/);
  });
});

describe('customer emails', () => {
  it('renders Japanese with the renewal numbers, an unsubscribe link and List-Unsubscribe', () => {
    const mail = composeCustomerEmail({
      message: message(),
      payload: payload(),
      account: japan,
      settings,
      now,
      today: '2027-01-31',
    });
    expect(mail.language).toBe('ja');
    expect(mail.subject).toBe('Kobe Tax KK 様 ご契約更新のご提案（ワンクリックで更新）');
    expect(mail.text).toContain('佐藤 愛子 様');
    expect(mail.text).toContain('2027年3月31日 に満了します');
    expect(mail.text).toContain('年額 ￥9,000,000');
    expect(mail.text).toContain('ライセンス 40 件のうち 36 名（90%）');
    expect(mail.text).toContain('「更新します」とご返信ください');
    expect(mail.html).toContain('<html lang="ja">');
    expect(mail.headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/perennial\.vendor\.example\/api\/v1\/unsubscribe\?token=/,
    );
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.messageId).toBe(
      messageIdFor('acme', 'C-2:renewal-proposal:aiko@kobe.example', settings.from),
    );
    expect(mail.messageId).toMatch(/^[0-9a-f]{40}@vendor\.example$/);
  });

  it('renders German with a one-click link when the proposal flow provides one', () => {
    const mail = composeCustomerEmail({
      message: message({ recipient: 'anna@schulen.example', template: 'renewal-one-click' }),
      payload: payload({
        accountName: 'Berlin Schulen, e.V.',
        recipientName: 'Anna Schmidt',
        dueDate: '2027-08-31',
        noticeDeadline: null,
        arr: { amount: '45000.50', currency: 'EUR' },
        renewUrl: 'https://perennial.vendor.example/renew/abc',
      }),
      account: germany,
      settings,
      now,
      today: '2027-08-01',
    });
    expect(mail.language).toBe('de');
    expect(mail.subject).toBe('Berlin Schulen, e.V. mit einem Klick verlängern');
    expect(mail.text).toContain('Guten Tag Anna Schmidt,');
    expect(mail.text).toContain('endet am 31. August 2027');
    expect(mail.text).toContain('45.000,50\u00a0€ pro Jahr');
    expect(mail.text).toContain('Jetzt verlängern: https://perennial.vendor.example/renew/abc');
    expect(mail.html).toContain('href="https://perennial.vendor.example/renew/abc"');
    expect(mail.text).toContain('Mit freundlichen Grüßen');
  });

  it('renders every template key in every language with one-line subjects, escaping HTML', () => {
    for (const template of [...CUSTOMER_TEMPLATE_KEYS, 'a-key-a-policy-invented']) {
      for (const account of [japan, germany, { country: 'US', timezone: null, usage: null }]) {
        const mail = composeCustomerEmail({
          message: message({ template }),
          payload: payload({ accountName: '<b>Acme & Co</b>', arr: { amount: '1200.00', currency: 'USD' } }),
          account,
          settings,
          now,
          today: '2027-01-31',
        });
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.subject).toContain('<b>Acme & Co</b>'); // a header is text, not HTML
        expect(mail.text).toContain('<b>Acme & Co</b>');
        expect(mail.html).toContain('&lt;b&gt;Acme &amp; Co&lt;/b&gt;');
        expect(mail.html).not.toContain('<b>Acme');
      }
    }
  });

  it('strips CR/LF from names and subjects built from imported data', () => {
    const mail = composeCustomerEmail({
      message: message({ recipient: 'jane@acme.example', template: 'renewal-heads-up' }),
      payload: payload({
        accountName: 'Acme\r\nBcc: attacker@evil.example',
        recipientName: 'Jane\nCc: attacker@evil.example',
        arr: { amount: '1200.00', currency: 'USD' },
      }),
      account: { country: 'US', timezone: null, usage: null },
      settings,
      now,
      today: '2027-01-31',
    });
    expect(mail.subject).toBe('Your Acme Bcc: attacker@evil.example renewal is coming up on March 31, 2027');
    expect(mail.to).toEqual({ name: 'Jane Cc: attacker@evil.example', address: 'jane@acme.example' });
  });
});

describe('digests', () => {
  it('is written in the user language with alerts first and overdue tasks marked', () => {
    const mail = composeDigestEmail({
      message: message({ kind: 'digest', recipient: 'kenji@vendor.example', template: 'daily-digest' }),
      payload: {
        userId: 'U-2',
        userName: 'Kenji Ito',
        locale: 'ja',
        day: '2027-01-31',
        alerts: [{ severity: 'critical', kind: 'escalation', message: 'Acme: unsigned at T-7' }],
        tasks: [
          { title: 'Follow up', accountName: 'Acme', dueDate: '2027-01-29', milestone: 'T-14' },
          { title: 'Close', accountName: 'Kobe', dueDate: '2027-01-31', milestone: 'T-0' },
        ],
        tasksTotal: 25,
      },
      settings,
      now,
    });
    expect(mail.subject).toBe('本日の更新業務（2027年1月31日）：タスク 25 件、アラート 1 件');
    expect(mail.text).toContain('[緊急] Acme: unsigned at T-7');
    expect(mail.text).toContain('2027-01-29 (期限超過) · Acme · Follow up');
    expect(mail.text).toContain('ほか 23 件');
    expect(mail.headers['List-Unsubscribe']).toBeUndefined();
  });
});

describe('unsubscribe tokens', () => {
  it('round-trips and rejects tampering', () => {
    const token = unsubscribeToken({ secret: 's', tenantId: 'acme', email: 'Jane@Acme.example' });
    expect(readUnsubscribeToken({ secret: 's', token })).toEqual({
      tenantId: 'acme',
      email: 'jane@acme.example',
    });
    expect(readUnsubscribeToken({ secret: 'other', token })).toBeNull();
    const [tenant, , signature] = token.split('.');
    const forged = `${tenant}.${Buffer.from('boss@acme.example').toString('base64url')}.${signature}`;
    expect(readUnsubscribeToken({ secret: 's', token: forged })).toBeNull();
    expect(readUnsubscribeToken({ secret: 's', token: 'garbage' })).toBeNull();
  });
});

describe('calendar text', () => {
  it('escapes RFC 5545 text and folds at 75 octets without splitting a character', () => {
    expect(escapeText('Berlin Schulen, e.V.; a\\b\nc')).toBe('Berlin Schulen\\, e.V.\\; a\\\\b\\nc');
    const long = `SUMMARY:${'更新'.repeat(40)}`;
    const folded = foldLine(long);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(lines.map((line, i) => (i === 0 ? line : line.slice(1))).join('')).toBe(long);
  });
});
