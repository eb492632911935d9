/**
 * Proposal documents in the account's language: the HTML page and the PDF drawn from one content
 * model, in English, Japanese and German, with the proposal's real numbers; escaping; the fonts the
 * PDF needs (WinAnsi for German, an embedded Japanese font, a visible placeholder for a character no
 * font has); the API route and the CLI's format choice. Runs on a real store (PGlite, or PostgreSQL
 * with DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatsFor } from '../src/documents/proposal-templates.ts';
import { renderProposalHtml, renderProposalPdf } from '../src/documents/render-proposal-pdf.ts';
import { createProposal } from '../src/engine/commercial/create-proposal.ts';
import {
  generateProposalDocument,
  renderProposalDocument,
} from '../src/engine/commercial/generate-proposal-document.ts';
import { loadProposal, type ProposalRecord } from '../src/engine/commercial/proposal-records.ts';
import { importFiles } from '../src/import/import-files.ts';
import { formattingLocale, type Language } from '../src/mail/choose-language.ts';
import { BASE_FILES, writeCsvSet } from './support/csv-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const AS_OF = '2026-11-23';
const HOSTILE = '<script>alert("x")</script> & Söhne';

/** The shared fixture, plus a `language` column (A-7 names German) and an account with a hostile name. */
const accounts = BASE_FILES['accounts.csv']!.split('\n');
const FILES: Record<string, string> = {
  'accounts.csv': [
    `${accounts[0]},language`,
    ...accounts.slice(1).map((row) => `${row},`),
    'A-7,Lakeside Freight,logistics,US,USD,1,,false,U-2,U-3,America/Chicago,,de',
    `A-8,"${HOSTILE.replaceAll('"', '""')}",retail,US,USD,1,,false,U-2,U-3,America/New_York,,`,
  ].join('\n'),
  'contracts.csv': `${BASE_FILES['contracts.csv']}
C-7,A-7,2026-02-01,2027-01-31,24000.00,USD,20,false,false,,active,
C-8,A-8,2026-02-01,2027-01-31,15000.00,USD,10,false,false,,active,`,
  'usage.csv': `${BASE_FILES['usage.csv']}
A-2,2026-08-10,9,40,
A-3,2026-08-10,30,60,55
A-3,2026-11-09,41,60,61`,
};

let testStore: TestStore;
let tenantId: string;
const proposals: Record<string, ProposalRecord> = {};

beforeAll(async () => {
  testStore = await openTestStore();
  const dir = await writeCsvSet(FILES);
  tenantId = `docs${process.pid}`;
  await importFiles({ store: testStore.store, tenantId, inputs: [dir] });
  for (const [contractId, optionKey] of [
    ['C-1', 'better'],
    ['C-2', 'good'],
    ['C-3', 'good'],
    ['C-7', 'good'],
    ['C-8', 'good'],
  ] as const) {
    proposals[contractId] = await createProposal({
      store: testStore.store,
      tenantId,
      contractId,
      optionKey,
      actorId: 'U-2',
      asOf: AS_OF,
      at: `${AS_OF}T09:00:00Z`,
    });
  }
});
afterAll(async () => {
  await testStore?.close();
});

async function html(contractId: string, language?: Language): Promise<string> {
  const document = await renderProposalDocument({
    session: testStore.store,
    tenantId,
    proposalId: proposals[contractId]!.id,
    format: 'html',
    ...(language ? { language } : {}),
  });
  return document.content.toString('utf8');
}

/** The figures a reader must find, formatted as the record's own numbers in the reader's locale. */
function expectedFigures(record: ProposalRecord, language: Language): string[] {
  const { terms } = record;
  const f = formatsFor(formattingLocale(language, terms.account.country), terms.contract.currency);
  const figures = [
    f.money(terms.contract.arrMinor),
    f.money(terms.chosen.totalContractValueMinor),
    ...terms.chosen.years.map((year) => f.money(year.amountMinor)),
    f.date(terms.contract.endDate),
  ];
  for (const option of terms.options.filter((candidate) =>
    ['good', 'better', 'best'].includes(candidate.key),
  )) {
    figures.push(f.money(option.totalContractValueMinor));
  }
  if (terms.value.roi) figures.push(f.count(terms.value.roi.hoursPerYear));
  return figures;
}

const SECTION_TITLES: Record<Language, string[]> = {
  en: [
    'Executive summary',
    'Value delivered',
    'Current contract',
    'Proposed options',
    'Next steps',
    'How to accept',
  ],
  ja: [
    'エグゼクティブサマリー',
    'これまでの成果',
    '現在のご契約',
    'ご提案プラン',
    '今後の進め方',
    'お申し込み方法',
  ],
  de: [
    'Zusammenfassung',
    'Erzielter Nutzen',
    'Aktueller Vertrag',
    'Angebotene Optionen',
    'Nächste Schritte',
    'So nehmen Sie an',
  ],
};

describe('proposal HTML', () => {
  it.each([
    ['C-1', 'en', 'en-US'],
    ['C-2', 'ja', 'ja-JP'],
    ['C-3', 'de', 'de-DE'],
    ['C-7', 'de', 'de-US'],
  ] as const)(
    'renders %s in the account’s language (%s) with every section and its real numbers',
    async (contractId, language, locale) => {
      const page = await html(contractId);
      const record = proposals[contractId]!;
      expect(page.startsWith('<!doctype html>')).toBe(true);
      expect(page).toContain(`<html lang="${locale}">`);
      for (const title of SECTION_TITLES[language]) expect(page).toContain(title);
      for (const figure of expectedFigures(record, language)) expect(page).toContain(figure);
      // Standalone: no script, no external stylesheet, image or font.
      expect(page).not.toMatch(/<script|<link|\bsrc=|url\(|@import/i);
    },
  );

  it('writes the expansion items of the better and best packages with their business case', async () => {
    const page = await html('C-1');
    const better = proposals['C-1']!.terms.options.find((option) => option.key === 'better')!;
    const seats = better.lineItems.find((line) => line.key === 'expansion_seats')!;
    expect(page).toContain('Optional expansion');
    expect(page).toContain(`Better: Additional seats (+${better.seats! - 100})`);
    expect(page).toContain(formatsFor('en-US', 'USD').money(seats.years[0]!.amountMinor));
    expect(page).toContain('of licensed seats are in use');
  });

  it('formats money per currency and locale: JPY without decimals, euros the German way', () => {
    expect(formatsFor('ja-JP', 'JPY').money(9_000_000)).toBe('￥9,000,000');
    expect(formatsFor('en-US', 'JPY').money(1_234_567)).toBe('¥1,234,567');
    expect(formatsFor('de-DE', 'EUR').money(4_500_050)).toBe('45.000,50\u00a0€');
    expect(formatsFor('en-US', 'USD').money(12_000_000)).toBe('$120,000.00');
    expect(formatsFor('en-US', 'USD').money(7_500_050, { whole: true })).toBe('$75,001');
    expect(formatsFor('de-DE', 'EUR').bps(1250)).toBe('12,5\u00a0%');
    expect(formatsFor('de-DE', 'EUR').tenths(785)).toBe('78,5');
    expect(formatsFor('ja-JP', 'JPY').date('2027-03-31')).toBe('2027年3月31日');
  });

  it('shows JPY amounts without a decimal part anywhere in the Japanese proposal', async () => {
    const page = await html('C-2');
    expect(page).toContain('￥9,000,000');
    expect(page).not.toMatch(/￥[\d,]+\.\d/);
  });

  it('renders an account name with markup as inert text', async () => {
    const page = await html('C-8');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Söhne');
    expect(page).toContain(`<title>Renewal proposal - &lt;script&gt;`);
  });

  it('follows an explicit language over the account’s', async () => {
    const page = await html('C-2', 'en');
    expect(page).toContain('<html lang="en-JP">');
    expect(page).toContain('Executive summary');
    expect(page).toContain('¥9,000,000');
  });
});

/** Text drawn by an uncompressed PDF with the standard fonts: WinAnsi bytes of every TJ array. */
function standardFontText(pdf: Buffer): string {
  const winAnsi: Record<number, string> = {
    128: '€',
    132: '„',
    147: '“',
    148: '”',
    149: '•',
    150: '–',
    151: '—',
  };
  const parts: string[] = [];
  for (const match of pdf.toString('latin1').matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    for (const hex of match[1]!.matchAll(/<([0-9a-fA-F]*)>/g)) {
      parts.push(
        [...Buffer.from(hex[1]!, 'hex')].map((byte) => winAnsi[byte] ?? String.fromCharCode(byte)).join(''),
      );
    }
    parts.push(' ');
  }
  return parts.join('');
}

/** Text drawn by an uncompressed PDF with an embedded (Identity-H) font, decoded through its ToUnicode map. */
function embeddedFontText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const glyphs = new Map<number, string>();
  for (const range of source.matchAll(/<([0-9a-f]{4})> <([0-9a-f]{4})> \[([^\]]*)\]/gi)) {
    const start = Number.parseInt(range[1]!, 16);
    [...range[3]!.matchAll(/<([0-9a-f]+)>/gi)].forEach((unicode, index) => {
      glyphs.set(start + index, Buffer.from(unicode[1]!, 'hex').swap16().toString('utf16le'));
    });
  }
  const parts: string[] = [];
  for (const match of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    for (const hex of match[1]!.matchAll(/<([0-9a-fA-F]*)>/g)) {
      for (let index = 0; index < hex[1]!.length; index += 4) {
        parts.push(glyphs.get(Number.parseInt(hex[1]!.slice(index, index + 4), 16)) ?? '\uFFFD');
      }
    }
    parts.push(' ');
  }
  return parts.join('');
}

describe('proposal PDF', () => {
  it('draws the German proposal with the standard fonts: umlauts, ß and € in WinAnsi', async () => {
    const document = await renderProposalDocument({
      session: testStore.store,
      tenantId,
      proposalId: proposals['C-3']!.id,
      compress: false,
    });
    expect(document).toMatchObject({ language: 'de', mediaType: 'application/pdf', missingCodePoints: [] });
    const source = document.content.toString('latin1');
    expect(source).toContain('/BaseFont /Helvetica');
    expect(source).not.toContain('/FontFile');
    const text = standardFontText(document.content);
    for (const title of SECTION_TITLES.de) expect(text).toContain(title);
    expect(text).toContain('45.000,50\u00a0€');
    expect(text).toContain('Verlängerungsangebot');
    expect(text).toContain('Mehrjährige Laufzeiten');
    expect(text).toContain('Seite 1 von');
  });

  it('embeds a Japanese font and draws the Japanese proposal with it, deterministically', async () => {
    const render = () =>
      renderProposalDocument({
        session: testStore.store,
        tenantId,
        proposalId: proposals['C-2']!.id,
        compress: false,
      });
    const document = await render();
    expect(document).toMatchObject({ language: 'ja', missingCodePoints: [] });
    const source = document.content.toString('latin1');
    expect(source).toMatch(/\/BaseFont \/[A-Z]{6}\+SawarabiGothic-Regular/);
    expect(source).toContain('/ToUnicode');
    const text = embeddedFontText(document.content);
    for (const title of SECTION_TITLES.ja) expect(text).toContain(title);
    expect(text).toContain('￥9,000,000');
    expect(text).toContain('2027年3月31日');
    expect(text).not.toContain('\uFFFD');
    expect((await render()).content.equals(document.content)).toBe(true);
  });

  it('shows a character no font has as a placeholder and says so, never as a wrong glyph', async () => {
    const record = await loadProposal(testStore.store, tenantId, proposals['C-2']!.id);
    const rare = '𠮷'; // U+20BB7, outside the embedded font
    const options = {
      proposalId: record.id,
      version: record.version,
      status: record.status,
      terms: { ...record.terms, account: { ...record.terms.account, name: `${rare}野家` } },
      steps: record.workflow.steps,
      createdAt: record.createdAt,
      language: 'ja' as const,
    };
    const pdf = await renderProposalPdf({ ...options, compress: false });
    expect(pdf.missingCodePoints).toEqual([0x20bb7]);
    const text = embeddedFontText(pdf.content);
    expect(text).toContain('〓野家');
    expect(text).toContain('U+20BB7');
    expect(renderProposalHtml(options)).toContain(`${rare}野家`);
  });

  it('switches an English proposal to the embedded font when a contact’s name needs it', async () => {
    const record = await loadProposal(testStore.store, tenantId, proposals['C-1']!.id);
    const pdf = await renderProposalPdf({
      proposalId: record.id,
      version: record.version,
      status: record.status,
      terms: { ...record.terms, contacts: [{ name: '伊藤 健二', role: 'champion', email: null }] },
      steps: record.workflow.steps,
      createdAt: record.createdAt,
      compress: false,
    });
    expect(pdf).toMatchObject({ font: 'sawarabi-gothic', missingCodePoints: [] });
    expect(embeddedFontText(pdf.content)).toContain('伊藤 健二');
  });
});

describe('stored documents', () => {
  it('stores the HTML and the PDF of a version once each, with their media types', async () => {
    const base = { store: testStore.store, tenantId, proposalId: proposals['C-3']!.id, actor: 'U-2' };
    const first = await generateProposalDocument({ ...base, at: `${AS_OF}T10:00:00Z`, format: 'html' });
    const again = await generateProposalDocument({ ...base, at: `${AS_OF}T10:01:00Z`, format: 'html' });
    const pdf = await generateProposalDocument({ ...base, at: `${AS_OF}T10:02:00Z`, format: 'pdf' });
    expect(first).toMatchObject({ created: true, fileName: 'proposal-C-3-v1-de.html', language: 'de' });
    expect(again).toMatchObject({ created: false, documentId: first.documentId });
    expect(pdf.documentId).not.toBe(first.documentId);
    const rows = await testStore.store.query<{ id: number; media_type: string }>(
      'SELECT id, media_type FROM documents WHERE tenant_id = $1 AND proposal_id = $2 ORDER BY id',
      [tenantId, proposals['C-3']!.id],
    );
    expect(rows.map((row) => row.media_type)).toEqual(['text/html; charset=utf-8', 'application/pdf']);
  });
});
