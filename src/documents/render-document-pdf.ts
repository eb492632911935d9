/**
 * A composed document as a PDF (pdfkit): the title block, a DRAFT banner, numbered sections and a
 * footer with page numbers, in the fonts its text needs (`pdf-fonts.ts`). Characters no font can
 * draw are shown as a placeholder (〓) and listed in a note under the title, never left to come out as wrong glyphs.
 */
import type { ComposedDocument } from './document-blocks.ts';
import { documentStrings } from './document-blocks.ts';
import { chooseFonts, codePointList } from './pdf-fonts.ts';
import {
  banner,
  barChart,
  bullets,
  figureTiles,
  finishDocument,
  footers,
  heading,
  keyValues,
  openDocument,
  paragraph,
  subheading,
  table,
  titleBlock,
} from './pdf-layout.ts';

export type RenderedPdf = {
  content: Buffer;
  /** The font family the text is drawn with. */
  font: 'helvetica' | 'sawarabi-gothic';
  /** Code points drawn as the placeholder because the font lacks them (empty when everything was drawn). */
  missingCodePoints: number[];
};

export async function renderDocumentPdf(
  document: ComposedDocument,
  { compress = true }: { compress?: boolean } = {},
): Promise<RenderedPdf> {
  const { fonts, missing } = chooseFonts(document.language, documentStrings(document));
  const doc = openDocument({ ...document.meta, compress, fonts, lang: document.locale });
  titleBlock(doc, { kicker: document.kicker, title: document.title, subtitle: document.subtitle });
  if (document.banner) banner(doc, document.banner);
  if (missing.length > 0) {
    paragraph(doc, document.missingGlyphNote(codePointList(missing), fonts.placeholder), {
      muted: true,
      size: 8.5,
    });
  }
  for (const section of document.sections) {
    heading(doc, section.title, section.number);
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'subheading':
          subheading(doc, block.text);
          break;
        case 'paragraph':
          paragraph(
            doc,
            block.text,
            block.tone === 'muted'
              ? { muted: true, size: 9 }
              : block.tone === 'small'
                ? { muted: true, size: 8.5 }
                : {},
          );
          break;
        case 'bullets':
          bullets(doc, block.items);
          break;
        case 'tiles':
          figureTiles(doc, block.tiles);
          break;
        case 'chart':
          barChart(doc, { points: block.points, caption: block.caption, peak: block.peak });
          break;
        case 'table':
          table(doc, block.columns, block.rows);
          break;
        case 'keyValues':
          keyValues(doc, block.rows);
          break;
      }
    }
  }
  footers(doc, document.footer, document.pageLabel);
  return { content: await finishDocument(doc), font: fonts.name, missingCodePoints: missing };
}
