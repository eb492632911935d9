/** Calendar periods for pickers: quarters as `2026-Q4`, with their first and last day. */
export type QuarterPeriod = { label: string; start: string; end: string };

const pad = (value: number) => String(value).padStart(2, '0');

export function quarterOf(day: string, offset = 0): QuarterPeriod {
  const year = Number(day.slice(0, 4));
  const index = Math.floor((Number(day.slice(5, 7)) - 1) / 3) + offset;
  const y = year + Math.floor(index / 4);
  const q = ((index % 4) + 4) % 4;
  const firstMonth = q * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lastDay = new Date(Date.UTC(y, lastMonth, 0)).getUTCDate();
  return {
    label: `${y}-Q${q + 1}`,
    start: `${y}-${pad(firstMonth)}-01`,
    end: `${y}-${pad(lastMonth)}-${pad(lastDay)}`,
  };
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Rows as CSV text (RFC 4180 quoting) and a download of it. */
export function downloadCsv(filename: string, rows: readonly (readonly (string | number | null)[])[]): void {
  const text = rows
    .map((row) =>
      row
        .map((cell) => {
          const value = cell === null ? '' : String(cell);
          return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
        })
        .join(','),
    )
    .join('\r\n');
  const url = URL.createObjectURL(new Blob([`${text}\r\n`], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
