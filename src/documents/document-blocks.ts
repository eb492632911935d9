/**
 * A business document as words already written, in the reader's language: a title block, numbered
 * sections of blocks (paragraphs, bullets, figure tiles, a bar chart, tables, label/value rows) and a
 * footer. The HTML and PDF renderers draw the same `ComposedDocument`, so both say the same thing.
 * Table cells may hold line breaks (`\n`): the first line is the cell's title.
 */
import type { Language } from '../mail/choose-language.ts';

export type TableColumn = { title: string; width: number; align?: 'left' | 'right' };
export type TableRow = { cells: string[]; highlight?: boolean; bold?: boolean };

export type Block =
  | { kind: 'subheading'; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'normal' | 'muted' | 'small' }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'tiles'; tiles: { label: string; value: string; note?: string }[] }
  | {
      kind: 'chart';
      points: { label: string; value: number }[];
      caption: string;
      peak: string;
    }
  | { kind: 'table'; caption: string; columns: TableColumn[]; rows: TableRow[] }
  | { kind: 'keyValues'; caption: string; rows: [string, string][] };

export type DocumentSection = { id: string; number: number; title: string; blocks: Block[] };

export type ComposedDocument = {
  language: Language;
  /** The BCP 47 tag dates and numbers were formatted with (`de-DE`, `ja-JP`, `en-US`). */
  locale: string;
  meta: { title: string; subject: string; author: string; createdAt: string };
  kicker: string;
  title: string;
  subtitle: string;
  /** A warning across the top (DRAFT), or null. */
  banner: string | null;
  sections: DocumentSection[];
  footer: string;
  /** "Page 2 of 3" in the document's language. */
  pageLabel: (page: number, pages: number) => string;
  /** The note printed when the PDF's font cannot draw some characters (code points listed). */
  missingGlyphNote: (codePoints: string, placeholder: string) => string;
};

/** Every string a reader sees in the document (for font coverage checks). */
export function documentStrings(document: ComposedDocument): string[] {
  const strings = [document.kicker, document.title, document.subtitle, document.footer];
  if (document.banner) strings.push(document.banner);
  strings.push(document.pageLabel(1, 1));
  for (const section of document.sections) {
    strings.push(`${section.number}. ${section.title}`);
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'subheading':
        case 'paragraph':
          strings.push(block.text);
          break;
        case 'bullets':
          strings.push(...block.items);
          break;
        case 'tiles':
          for (const tile of block.tiles) strings.push(tile.label, tile.value, tile.note ?? '');
          break;
        case 'chart':
          strings.push(block.caption, block.peak, ...block.points.map((point) => point.label));
          break;
        case 'table':
          strings.push(...block.columns.map((column) => column.title));
          for (const row of block.rows) strings.push(...row.cells);
          break;
        case 'keyValues':
          for (const [label, value] of block.rows) strings.push(label, value);
          break;
      }
    }
  }
  return strings;
}
