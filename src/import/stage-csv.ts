/** Serialises typed cells into CSV text for `COPY … WITH (FORMAT csv)`: unquoted empty = NULL. */
import type { CellValue } from './canonical-files.ts';

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

export function csvCell(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return quote(arrayLiteral(value as readonly string[]));
  return quote(JSON.stringify(value));
}

export function csvLine(cells: readonly CellValue[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}
