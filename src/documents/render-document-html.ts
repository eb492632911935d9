/**
 * A composed document as one standalone HTML page: inline CSS (screen and print, A4), an inline SVG
 * chart with a text alternative, real tables with captions and header cells, a `lang` attribute for
 * screen readers and hyphenation — no script, no external asset. Every value is HTML-escaped, so an
 * account called `<script>` is text, never markup.
 */
import type { Block, ComposedDocument, TableColumn } from './document-blocks.ts';
import { PALETTE } from './pdf-layout.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Escaped text with line breaks kept; the first line of a multi-line cell is its title. */
function lines(text: string, { titled = false } = {}): string {
  const [first = '', ...rest] = text.split('\n');
  if (rest.length === 0) return escapeHtml(first);
  const head = titled ? `<strong>${escapeHtml(first)}</strong>` : escapeHtml(first);
  return [head, ...rest.map((line) => `<span class="sub">${escapeHtml(line)}</span>`)].join('<br>');
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f5; color: ${PALETTE.ink};
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Yu Gothic", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 860px; margin: 0 auto; background: #fff; padding: 48px 56px 32px; border-top: 8px solid ${PALETTE.brand}; }
.kicker { margin: 0; color: ${PALETTE.accent}; font-size: 12px; font-weight: 700; letter-spacing: .12em; text-transform: uppercase; }
h1 { margin: 4px 0 6px; font-size: 30px; line-height: 1.2; }
.subtitle { margin: 0 0 20px; color: ${PALETTE.muted}; }
.banner { margin: 0 0 20px; padding: 8px 12px; background: ${PALETTE.warnTint}; border-left: 4px solid ${PALETTE.warn}; color: ${PALETTE.warn}; font-weight: 700; }
section { border-top: 1px solid ${PALETTE.rule}; padding-top: 8px; margin-top: 20px; }
h2 { margin: 8px 0 10px; color: ${PALETTE.brand}; font-size: 20px; }
h3 { margin: 16px 0 6px; font-size: 15px; }
p { margin: 0 0 12px; }
.muted { color: ${PALETTE.muted}; font-size: 14px; }
.small { color: ${PALETTE.muted}; font-size: 13px; }
ul { margin: 0 0 12px; padding-left: 22px; }
li { margin-bottom: 4px; }
li::marker { color: ${PALETTE.accent}; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 10px; margin: 12px 0 16px; }
.tile { margin: 0; background: ${PALETTE.tint}; border-radius: 6px; padding: 10px 12px; }
.tile dt { color: ${PALETTE.muted}; font-size: 11px; letter-spacing: .05em; text-transform: uppercase; }
.tile dd { margin: 2px 0 0; }
.tile .value { display: block; color: ${PALETTE.brand}; font-size: 20px; font-weight: 700; }
.tile .note { display: block; color: ${PALETTE.muted}; font-size: 12px; }
figure { margin: 8px 0 16px; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: ${PALETTE.muted}; font-size: 13px; }
table { width: 100%; border-collapse: collapse; margin: 4px 0 14px; font-size: 14px; }
caption { text-align: left; font-size: 0; height: 0; overflow: hidden; }
thead th { background: ${PALETTE.brand}; color: #fff; font-weight: 700; text-align: left; padding: 6px 8px; font-size: 13px; }
td, tbody th { padding: 6px 8px; border-bottom: 1px solid ${PALETTE.rule}; vertical-align: top; text-align: left; font-weight: 400; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.highlight td, tr.highlight th { background: ${PALETTE.tint}; }
tr.bold td, tr.bold th { font-weight: 700; }
td .sub { font-weight: 400; color: ${PALETTE.muted}; font-size: 13px; }
dl.kv { display: grid; grid-template-columns: 180px 1fr; margin: 0 0 12px; }
dl.kv dt, dl.kv dd { margin: 0; padding: 5px 0; border-bottom: 1px solid ${PALETTE.rule}; }
dl.kv dt { color: ${PALETTE.muted}; }
footer { margin-top: 28px; padding-top: 8px; border-top: 1px solid ${PALETTE.rule}; color: ${PALETTE.muted}; font-size: 12px; }
@media (max-width: 640px) { main { padding: 24px 16px; } dl.kv { grid-template-columns: 1fr; } dl.kv dt { border-bottom: 0; padding-bottom: 0; } }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; border-top: 0; }
  section { break-inside: auto; }
  h2, h3 { break-after: avoid; }
  tr, .tile, figure, dl.kv dt, dl.kv dd { break-inside: avoid; }
  thead { display: table-header-group; }
  thead th, tr.highlight td, tr.highlight th, .tile, .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function columnClass(column: TableColumn | undefined): string {
  return column?.align === 'right' ? ' class="num"' : '';
}

function chart(block: Extract<Block, { kind: 'chart' }>): string {
  const width = 720;
  const height = 120;
  const max = Math.max(...block.points.map((point) => point.value), 1);
  const slot = width / block.points.length;
  const barWidth = Math.max(2, Math.min(18, slot * 0.65));
  const bars = block.points
    .map((point, index) => {
      const barHeight = Math.round((point.value / max) * (height - 16) * 10) / 10;
      const x = Math.round((index * slot + (slot - barWidth) / 2) * 10) / 10;
      return `<rect x="${x}" y="${height - barHeight}" width="${Math.round(barWidth * 10) / 10}" height="${barHeight}" fill="${PALETTE.accent}"><title>${escapeHtml(`${point.label}: ${point.value}`)}</title></rect>`;
    })
    .join('');
  const first = block.points[0]!;
  const last = block.points.at(-1)!;
  return `<figure>
<svg viewBox="0 0 ${width} ${height + 18}" role="img" aria-label="${escapeHtml(`${block.caption}: ${first.value} → ${last.value}; ${block.peak}`)}" xmlns="http://www.w3.org/2000/svg">
${bars}<line x1="0" y1="${height}" x2="${width}" y2="${height}" stroke="${PALETTE.muted}" stroke-width="1"/>
<text x="0" y="${height + 14}" font-size="11" fill="${PALETTE.muted}">${escapeHtml(first.label)}</text>
<text x="${width}" y="${height + 14}" font-size="11" fill="${PALETTE.muted}" text-anchor="end">${escapeHtml(last.label)}</text>
<text x="${width}" y="10" font-size="11" fill="${PALETTE.muted}" text-anchor="end">${escapeHtml(block.peak)}</text>
</svg>
<figcaption>${escapeHtml(block.caption)}</figcaption>
</figure>`;
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'subheading':
      return `<h3>${escapeHtml(block.text)}</h3>`;
    case 'paragraph': {
      const tone = block.tone && block.tone !== 'normal' ? ` class="${block.tone}"` : '';
      return `<p${tone}>${lines(block.text)}</p>`;
    }
    case 'bullets':
      return `<ul>${block.items.map((item) => `<li>${lines(item)}</li>`).join('')}</ul>`;
    case 'tiles':
      return `<dl class="tiles">${block.tiles
        .map(
          (tile) =>
            `<div class="tile"><dt>${escapeHtml(tile.label)}</dt><dd><span class="value">${escapeHtml(tile.value)}</span>${
              tile.note ? `<span class="note">${escapeHtml(tile.note)}</span>` : ''
            }</dd></div>`,
        )
        .join('')}</dl>`;
    case 'chart':
      return chart(block);
    case 'table': {
      const head = block.columns
        .map((column) => `<th scope="col"${columnClass(column)}>${escapeHtml(column.title)}</th>`)
        .join('');
      const body = block.rows
        .map((row) => {
          const classes = [row.highlight ? 'highlight' : '', row.bold ? 'bold' : '']
            .filter(Boolean)
            .join(' ');
          const cells = row.cells
            .map((cell, index) =>
              index === 0
                ? `<th scope="row">${lines(cell, { titled: true })}</th>`
                : `<td${columnClass(block.columns[index])}>${lines(cell)}</td>`,
            )
            .join('');
          return `<tr${classes ? ` class="${classes}"` : ''}>${cells}</tr>`;
        })
        .join('\n');
      return `<table><caption>${escapeHtml(block.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
    }
    case 'keyValues':
      return `<dl class="kv" aria-label="${escapeHtml(block.caption)}">${block.rows
        .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${lines(value)}</dd>`)
        .join('')}</dl>`;
  }
}

export function renderDocumentHtml(document: ComposedDocument): string {
  const sections = document.sections
    .map(
      (section) => `<section id="${escapeHtml(section.id)}" aria-labelledby="${escapeHtml(section.id)}-title">
<h2 id="${escapeHtml(section.id)}-title">${section.number}. ${escapeHtml(section.title)}</h2>
${section.blocks.map(renderBlock).join('\n')}
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(document.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="author" content="${escapeHtml(document.meta.author)}">
<meta name="description" content="${escapeHtml(document.meta.subject)}">
<title>${escapeHtml(document.meta.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="kicker">${escapeHtml(document.kicker)}</p>
<h1>${escapeHtml(document.title)}</h1>
<p class="subtitle">${escapeHtml(document.subtitle)}</p>
${document.banner ? `<p class="banner" role="note">${escapeHtml(document.banner)}</p>` : ''}
</header>
${sections}
<footer>${escapeHtml(document.footer)}</footer>
</main>
</body>
</html>
`;
}
