/**
 * Which fonts a PDF is drawn with, and what they can draw.
 *
 * - **Standard** (Helvetica, nothing embedded): the PDF's WinAnsi character set — Latin-1 plus a few
 *   typographic signs; enough for English and German (ä ö ü ß „ “ €).
 * - **Japanese**: Sawarabi Gothic (SIL Open Font License 1.1), the `japanese` file of the
 *   `@fontsource/sawarabi-gothic` package: kana, about 4,400 kanji (JIS level 1 and most of level 2)
 *   and ASCII, embedded as a subset of the glyphs used. One weight: bold is drawn by also stroking
 *   the outline.
 *
 * A Japanese document uses the Japanese font; another uses the standard fonts unless the Japanese
 * font draws more of its text (a Japanese contact in an English proposal). A character the chosen
 * font cannot draw is never left to come out as a wrong glyph: it is drawn as the font's placeholder
 * (〓, the Japanese typesetter's sign for a missing character; `?` in the standard fonts) and
 * reported, so the document says so.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { Language } from '../mail/choose-language.ts';

export type PdfFonts = {
  name: 'helvetica' | 'sawarabi-gothic';
  regular: string;
  bold: string;
  /** Bold is the regular face stroked as well as filled (the font has one weight). */
  fauxBold: boolean;
  /** The font file to embed; null for the standard fonts. */
  data: Buffer | null;
  /** Drawn for a character the font lacks. */
  placeholder: string;
  covers: (codePoint: number) => boolean;
};

const WIN_ANSI_EXTRA = new Set([...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'].map((char) => char.codePointAt(0)!));

export const STANDARD_FONTS: PdfFonts = {
  name: 'helvetica',
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  fauxBold: false,
  data: null,
  placeholder: '?',
  covers: (codePoint) =>
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    WIN_ANSI_EXTRA.has(codePoint),
};

/**
 * A WOFF 1.0 font unwrapped into the plain OpenType (sfnt) file it packs: each table inflated once.
 * fontkit reads WOFF directly, but inflates a table again on every access — for a CJK font that is
 * the whole glyph table per glyph, seconds per paragraph.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new TypeError('not a WOFF 1.0 font');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, index) => {
    const entry = 44 + index * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compLength = woff.readUInt32BE(entry + 8);
    const origLength = woff.readUInt32BE(entry + 12);
    const packed = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(packed) : packed;
    if (data.length !== origLength) throw new TypeError('a WOFF table does not inflate to its stated length');
    return { tag: woff.subarray(entry, entry + 4), checksum: woff.readUInt32BE(entry + 16), data };
  });
  const power = 2 ** Math.floor(Math.log2(numTables));
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(numTables * 16 - power * 16, 10);
  const chunks: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, index) => {
    const record = 12 + index * 16;
    table.tag.copy(header, record);
    header.writeUInt32BE(table.checksum, record + 4);
    header.writeUInt32BE(offset, record + 8);
    header.writeUInt32BE(table.data.length, record + 12);
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    chunks.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(chunks);
}

let japanese: PdfFonts | null = null;

export function japaneseFonts(): PdfFonts {
  if (japanese) return japanese;
  const require = createRequire(import.meta.url);
  const file = path.join(
    path.dirname(require.resolve('@fontsource/sawarabi-gothic')),
    'files',
    'sawarabi-gothic-japanese-400-normal.woff',
  );
  const data = woffToSfnt(readFileSync(file));
  // pdfkit parses the font with fontkit; its character map says which code points have a glyph.
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.registerFont('probe', data);
  probe.font('probe');
  const characterSet = (probe as unknown as { _font?: { font?: { characterSet?: number[] } } })._font?.font
    ?.characterSet;
  if (!characterSet || characterSet.length === 0) {
    throw new TypeError(`cannot read the character map of ${file}`);
  }
  const glyphs = new Set(characterSet);
  japanese = {
    name: 'sawarabi-gothic',
    regular: 'SawarabiGothic',
    bold: 'SawarabiGothic',
    fauxBold: true,
    data,
    placeholder: '〓',
    covers: (codePoint) => glyphs.has(codePoint),
  };
  return japanese;
}

const REPLACEMENTS: [RegExp, string][] = [
  [/≈/g, '~'],
  [/→/g, 'to'],
  [/−/g, '-'],
  [/≥/g, '>='],
  [/≤/g, '<='],
  [/\u202f/g, '\u00a0'],
];

/** A few symbols neither font draws, spelled out. */
export function spellSymbols(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return out;
}

/** The code points of `text` the fonts cannot draw (after spelling out symbols), in order of appearance. */
export function missingCodePoints(text: string, fonts: PdfFonts): number[] {
  const missing = new Set<number>();
  for (const char of spellSymbols(text)) {
    const codePoint = char.codePointAt(0)!;
    if (char !== '\n' && !fonts.covers(codePoint)) missing.add(codePoint);
  }
  return [...missing];
}

/** Text as the fonts draw it: symbols spelled out, any character they lack shown as the placeholder. */
export function drawableText(text: string, fonts: PdfFonts): string {
  let out = '';
  for (const char of spellSymbols(text)) {
    out += char === '\n' || fonts.covers(char.codePointAt(0)!) ? char : fonts.placeholder;
  }
  return out;
}

/** Fonts for a document: Japanese for Japanese, else the standard fonts unless some text needs more. */
export function chooseFonts(
  language: Language,
  strings: readonly string[],
): { fonts: PdfFonts; missing: number[] } {
  const text = strings.join('\n');
  if (language === 'ja') return { fonts: japaneseFonts(), missing: missingCodePoints(text, japaneseFonts()) };
  const standardMissing = missingCodePoints(text, STANDARD_FONTS);
  if (standardMissing.length === 0) return { fonts: STANDARD_FONTS, missing: [] };
  const japaneseMissing = missingCodePoints(text, japaneseFonts());
  return japaneseMissing.length <= standardMissing.length
    ? { fonts: japaneseFonts(), missing: japaneseMissing }
    : { fonts: STANDARD_FONTS, missing: standardMissing };
}

export function codePointList(codePoints: readonly number[]): string {
  return codePoints
    .map((codePoint) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`)
    .join(', ');
}
