/**
 * A small layout kit over pdfkit for Perennial's business documents (proposals, contracts): one
 * palette, one type scale, headings, paragraphs, bullet lists, key-value grids, tables, figure tiles,
 * page footers — and flow across pages. Text goes through the document's fonts (`pdf-fonts.ts`):
 * the standard fonts, or an embedded Japanese font whose bold is stroked. Output is deterministic:
 * a fixed creation date and a deterministic font subset, so the same input gives the same bytes and
 * the same sha256.
 */
import PDFDocument from 'pdfkit';
import { drawableText, type PdfFonts, STANDARD_FONTS, spellSymbols } from './pdf-fonts.ts';

export const PALETTE = {
  ink: '#1F2933',
  muted: '#6B7280',
  brand: '#1F5C46',
  accent: '#2E8B62',
  tint: '#EAF4EF',
  rule: '#D5DDD9',
  warn: '#B45309',
  warnTint: '#FEF3C7',
  white: '#FFFFFF',
} as const;

export type PdfDoc = InstanceType<typeof PDFDocument>;

type FontState = { fonts: PdfFonts; bold: boolean };
const fontStates = new WeakMap<PdfDoc, FontState>();

function state(doc: PdfDoc): FontState {
  let current = fontStates.get(doc);
  if (!current) {
    current = { fonts: STANDARD_FONTS, bold: false };
    fontStates.set(doc, current);
  }
  return current;
}

type Weight = 'regular' | 'bold';

/** Selects the regular or bold face of the document's fonts. */
function selectFont(doc: PdfDoc, weight: Weight): PdfDoc {
  const current = state(doc);
  current.bold = weight === 'bold';
  return doc.font(current.bold ? current.fonts.bold : current.fonts.regular);
}

/** Sets the text colour (and the outline colour a stroked bold needs). */
function ink(doc: PdfDoc, color: string): PdfDoc {
  doc.fillColor(color);
  if (state(doc).fonts.fauxBold) doc.strokeColor(color);
  return doc;
}

/** Text options for the current face: a stroked outline when bold is synthesized. */
function face(doc: PdfDoc, options: PDFKit.Mixins.TextOptions): PDFKit.Mixins.TextOptions {
  const current = state(doc);
  if (!(current.bold && current.fonts.fauxBold)) return options;
  doc.lineWidth(0.35);
  return { ...options, fill: true, stroke: true };
}

/** Text as the document's fonts draw it. */
function drawable(doc: PdfDoc, text: string): string {
  return drawableText(text, state(doc).fonts);
}

function write(doc: PdfDoc, text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions): PdfDoc {
  return doc.text(drawable(doc, text), x, y, face(doc, options));
}

function measure(doc: PdfDoc, text: string, options: PDFKit.Mixins.TextOptions): number {
  return doc.heightOfString(drawable(doc, text), options);
}

export type OpenDocumentOptions = {
  title: string;
  subject: string;
  author: string;
  /** The document's creation instant (fixed, so output is reproducible). */
  createdAt: string;
  compress?: boolean;
  /** The fonts to draw with (default: the standard fonts, nothing embedded). */
  fonts?: PdfFonts;
  /** The document's language (BCP 47), for screen readers. */
  lang?: string;
};

export function openDocument({
  title,
  subject,
  author,
  createdAt,
  compress = true,
  fonts = STANDARD_FONTS,
  lang,
}: OpenDocumentOptions): PdfDoc {
  const created = new Date(createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    compress,
    info: {
      Title: pdfText(title),
      Subject: pdfText(subject),
      Author: pdfText(author),
      Creator: 'Perennial',
      Producer: 'Perennial (pdfkit)',
      CreationDate: created,
      ModDate: created,
    },
    ...(lang ? { lang } : {}),
  });
  if (fonts.data) {
    doc.registerFont(fonts.regular, fonts.data);
    if (fonts.bold !== fonts.regular) doc.registerFont(fonts.bold, fonts.data);
  }
  fontStates.set(doc, { fonts, bold: false });
  selectFont(doc, 'regular');
  return doc;
}

/** Collects the document's bytes once it is ended. */
export function finishDocument(doc: PdfDoc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Text for the document's metadata (title, subject): a few symbols spelled out. */
export function pdfText(text: string): string {
  return spellSymbols(text);
}

export function contentWidth(doc: PdfDoc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function left(doc: PdfDoc): number {
  return doc.page.margins.left;
}

/** Starts a new page when fewer than `height` points remain. */
export function ensureSpace(doc: PdfDoc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

export function titleBlock(
  doc: PdfDoc,
  { kicker, title, subtitle }: { kicker: string; title: string; subtitle: string },
): void {
  const width = contentWidth(doc);
  doc.rect(0, 0, doc.page.width, 8).fill(PALETTE.brand);
  doc.y = doc.page.margins.top;
  selectFont(doc, 'bold').fontSize(9);
  ink(doc, PALETTE.accent);
  write(doc, kicker.toUpperCase(), left(doc), doc.y, { width, characterSpacing: 1.2 });
  doc.moveDown(0.3);
  selectFont(doc, 'bold').fontSize(24);
  ink(doc, PALETTE.ink);
  write(doc, title, left(doc), doc.y, { width });
  doc.moveDown(0.2);
  selectFont(doc, 'regular').fontSize(10.5);
  ink(doc, PALETTE.muted);
  write(doc, subtitle, left(doc), doc.y, { width });
  doc.moveDown(0.8);
  rule(doc);
}

export function rule(doc: PdfDoc, color: string = PALETTE.rule): void {
  const y = doc.y;
  doc
    .moveTo(left(doc), y)
    .lineTo(left(doc) + contentWidth(doc), y)
    .lineWidth(0.75)
    .strokeColor(color)
    .stroke();
  doc.y = y + 10;
}

export function banner(doc: PdfDoc, text: string): void {
  const width = contentWidth(doc);
  selectFont(doc, 'bold').fontSize(9.5);
  const height = measure(doc, text, { width: width - 20 }) + 12;
  ensureSpace(doc, height + 8);
  const y = doc.y;
  doc.rect(left(doc), y, width, height).fill(PALETTE.warnTint);
  doc.rect(left(doc), y, 3, height).fill(PALETTE.warn);
  ink(doc, PALETTE.warn);
  write(doc, text, left(doc) + 12, y + 6, { width: width - 20 });
  doc.y = y + height + 10;
}

export function heading(doc: PdfDoc, text: string, number?: number): void {
  ensureSpace(doc, 70);
  doc.moveDown(0.6);
  const y = doc.y;
  selectFont(doc, 'bold').fontSize(14);
  ink(doc, PALETTE.brand);
  write(doc, number === undefined ? text : `${number}. ${text}`, left(doc), y, { width: contentWidth(doc) });
  doc.moveDown(0.35);
}

export function subheading(doc: PdfDoc, text: string): void {
  ensureSpace(doc, 40);
  doc.moveDown(0.3);
  selectFont(doc, 'bold').fontSize(10.5);
  ink(doc, PALETTE.ink);
  write(doc, text, left(doc), doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.2);
}

export function paragraph(doc: PdfDoc, text: string, { muted = false, size = 10 } = {}): void {
  selectFont(doc, 'regular').fontSize(size);
  ink(doc, muted ? PALETTE.muted : PALETTE.ink);
  write(doc, text, left(doc), doc.y, { width: contentWidth(doc), lineGap: 2.5 });
  doc.moveDown(0.5);
}

export function bullets(doc: PdfDoc, items: readonly string[]): void {
  const width = contentWidth(doc) - 14;
  selectFont(doc, 'regular').fontSize(10);
  for (const item of items) {
    const height = measure(doc, item, { width, lineGap: 2 });
    ensureSpace(doc, height + 4);
    const y = doc.y;
    doc.circle(left(doc) + 3, y + 5, 1.8).fill(PALETTE.accent);
    ink(doc, PALETTE.ink);
    write(doc, item, left(doc) + 14, y, { width, lineGap: 2 });
    doc.y += 3;
  }
  doc.moveDown(0.3);
}

/** Tiles of key figures in one row ("Year-1 investment  $110,000.00"). */
export function figureTiles(
  doc: PdfDoc,
  tiles: readonly { label: string; value: string; note?: string | undefined }[],
): void {
  const gap = 10;
  const width = (contentWidth(doc) - gap * (tiles.length - 1)) / tiles.length;
  const height = 62;
  ensureSpace(doc, height + 12);
  const y = doc.y;
  tiles.forEach((tile, index) => {
    const x = left(doc) + index * (width + gap);
    doc.roundedRect(x, y, width, height, 4).fill(PALETTE.tint);
    selectFont(doc, 'regular').fontSize(8);
    ink(doc, PALETTE.muted);
    write(doc, tile.label.toUpperCase(), x + 10, y + 9, { width: width - 20, characterSpacing: 0.5 });
    selectFont(doc, 'bold').fontSize(14);
    ink(doc, PALETTE.brand);
    write(doc, tile.value, x + 10, y + 23, { width: width - 20, lineBreak: false, ellipsis: true });
    if (tile.note) {
      selectFont(doc, 'regular').fontSize(8);
      ink(doc, PALETTE.muted);
      write(doc, tile.note, x + 10, y + 44, { width: width - 20, lineBreak: false, ellipsis: true });
    }
  });
  doc.x = left(doc);
  doc.y = y + height + 12;
}

/** Two-column label/value rows. */
export function keyValues(doc: PdfDoc, rows: readonly [string, string][]): void {
  const labelWidth = 150;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of rows) {
    selectFont(doc, 'regular').fontSize(10);
    const height =
      Math.max(
        measure(doc, value, { width: valueWidth }),
        measure(doc, label, { width: labelWidth - 10 }),
        12,
      ) + 6;
    ensureSpace(doc, height);
    const y = doc.y;
    ink(doc, PALETTE.muted);
    write(doc, label, left(doc), y, { width: labelWidth - 10 });
    ink(doc, PALETTE.ink);
    write(doc, value, left(doc) + labelWidth, y, { width: valueWidth });
    doc.y = y + height;
    doc
      .moveTo(left(doc), doc.y - 3)
      .lineTo(left(doc) + contentWidth(doc), doc.y - 3)
      .lineWidth(0.4)
      .strokeColor(PALETTE.rule)
      .stroke();
  }
  doc.x = left(doc);
  doc.moveDown(0.4);
}

export type TableColumn = { title: string; width: number; align?: 'left' | 'right' | undefined };
export type TableRow = { cells: string[]; highlight?: boolean | undefined; bold?: boolean | undefined };

/** A table with a shaded header; widths are fractions of the content width. */
export function table(doc: PdfDoc, columns: readonly TableColumn[], rows: readonly TableRow[]): void {
  const total = contentWidth(doc);
  const widths = columns.map((column) => column.width * total);
  const pad = 5;
  const drawHeader = () => {
    selectFont(doc, 'bold').fontSize(8.5);
    const height =
      Math.max(
        ...columns.map((column, index) => measure(doc, column.title, { width: widths[index]! - pad * 2 })),
      ) + 10;
    ensureSpace(doc, height + 24);
    const y = doc.y;
    doc.rect(left(doc), y, total, height).fill(PALETTE.brand);
    let x = left(doc);
    columns.forEach((column, index) => {
      ink(doc, PALETTE.white);
      write(doc, column.title, x + pad, y + 5, {
        width: widths[index]! - pad * 2,
        align: column.align ?? 'left',
      });
      x += widths[index]!;
    });
    doc.y = y + height;
  };
  drawHeader();
  for (const row of rows) {
    selectFont(doc, row.bold ? 'bold' : 'regular').fontSize(9);
    const height =
      Math.max(
        ...row.cells.map((cell, index) =>
          measure(doc, cell, { width: widths[index]! - pad * 2, lineGap: 1 }),
        ),
      ) + 10;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawHeader();
      selectFont(doc, row.bold ? 'bold' : 'regular').fontSize(9);
    }
    const y = doc.y;
    if (row.highlight) doc.rect(left(doc), y, total, height).fill(PALETTE.tint);
    let x = left(doc);
    row.cells.forEach((cell, index) => {
      ink(doc, PALETTE.ink);
      write(doc, cell, x + pad, y + 5, {
        width: widths[index]! - pad * 2,
        align: columns[index]?.align ?? 'left',
        lineGap: 1,
      });
      x += widths[index]!;
    });
    doc
      .moveTo(left(doc), y + height)
      .lineTo(left(doc) + total, y + height)
      .lineWidth(0.4)
      .strokeColor(PALETTE.rule)
      .stroke();
    doc.y = y + height;
  }
  doc.x = left(doc);
  doc.moveDown(0.6);
}

/** A bar chart of a series (e.g. weekly active users), with the first and last labels. */
export function barChart(
  doc: PdfDoc,
  {
    points,
    caption,
    peak,
  }: { points: readonly { label: string; value: number }[]; caption: string; peak?: string },
): void {
  if (points.length === 0) return;
  const width = contentWidth(doc);
  const height = 90;
  ensureSpace(doc, height + 40);
  const top = doc.y + 4;
  const max = Math.max(...points.map((point) => point.value), 1);
  const slot = width / points.length;
  const barWidth = Math.max(2, Math.min(18, slot * 0.65));
  points.forEach((point, index) => {
    const barHeight = (point.value / max) * (height - 14);
    const x = left(doc) + index * slot + (slot - barWidth) / 2;
    doc.rect(x, top + height - barHeight, barWidth, barHeight).fill(PALETTE.accent);
  });
  doc
    .moveTo(left(doc), top + height)
    .lineTo(left(doc) + width, top + height)
    .lineWidth(0.6)
    .strokeColor(PALETTE.muted)
    .stroke();
  selectFont(doc, 'regular').fontSize(7.5);
  ink(doc, PALETTE.muted);
  write(doc, peak ?? `peak ${max}`, left(doc), top - 2, { width, align: 'right' });
  write(doc, points[0]!.label, left(doc), top + height + 3, { width: width / 2 });
  write(doc, points.at(-1)!.label, left(doc) + width / 2, top + height + 3, {
    width: width / 2,
    align: 'right',
  });
  doc.y = top + height + 15;
  selectFont(doc, 'regular').fontSize(8.5);
  ink(doc, PALETTE.muted);
  write(doc, caption, left(doc), doc.y, { width });
  doc.moveDown(0.6);
}

/** Writes "left text · page n of m" at the foot of every buffered page. */
export function footers(
  doc: PdfDoc,
  text: string,
  pageLabel: (page: number, pages: number) => string = (page, pages) => `Page ${page} of ${pages}`,
): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 40;
    const width = contentWidth(doc);
    doc
      .moveTo(left(doc), y - 6)
      .lineTo(left(doc) + width, y - 6)
      .lineWidth(0.4)
      .strokeColor(PALETTE.rule)
      .stroke();
    selectFont(doc, 'regular').fontSize(7.5);
    ink(doc, PALETTE.muted);
    write(doc, text, left(doc), y, { width: width - 90, lineBreak: false, ellipsis: true });
    write(doc, pageLabel(index - range.start + 1, range.count), left(doc) + width - 90, y, {
      width: 90,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}
