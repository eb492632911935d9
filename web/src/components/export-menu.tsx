/**
 * Export the table on screen as CSV or XLSX. Money is written as a number with the currency in the
 * column header, dates as real dates (ISO in CSV, date cells in XLSX), ratios as fractions (shown as
 * percentages in XLSX). The XLSX writer is loaded only when someone asks for a workbook.
 */
import { Button, Menu } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { downloadCsv } from '../periods.ts';

type ExportColumnKind = 'text' | 'number' | 'money' | 'ratio' | 'date';
type ExportColumn = { header: string; kind: ExportColumnKind };
/** Money as an exact decimal string (as the API sends it), dates as YYYY-MM-DD. */
type ExportCell = string | number | null;
export type ExportTable = {
  /** File name without extension. */
  fileName: string;
  sheetName: string;
  columns: readonly ExportColumn[];
  rows: readonly (readonly ExportCell[])[];
};

/** A money column's header names its currency: `ARR (USD)`. */
export function moneyHeader(label: string, currency: string): string {
  return `${label} (${currency})`;
}

function numberOf(cell: ExportCell): number | null {
  if (cell === null || cell === '') return null;
  const value = typeof cell === 'number' ? cell : Number(cell);
  return Number.isFinite(value) ? value : null;
}

/** Rows for CSV: a header row, then the cells as plain text and numbers. */
function csvRows(table: ExportTable): (string | number | null)[][] {
  return [
    table.columns.map((column) => column.header),
    ...table.rows.map((row) =>
      table.columns.map((column, index) => {
        const cell = row[index] ?? null;
        if (column.kind === 'text' || column.kind === 'date') return cell === null ? null : String(cell);
        // Money stays the API's exact decimal text; it reads as a number in any spreadsheet.
        if (column.kind === 'money' && typeof cell === 'string') return numberOf(cell) === null ? null : cell;
        return numberOf(cell);
      }),
    ),
  ];
}

const FORMATS: Partial<Record<ExportColumnKind, string>> = {
  money: '#,##0.00',
  ratio: '0.0%',
  date: 'yyyy-mm-dd',
};

/** The workbook's one sheet: a bold header, typed cells (numbers, dates) with display formats. */
function sheetRows(table: ExportTable) {
  return [
    table.columns.map((column) => ({ value: column.header, fontWeight: 'bold' as const })),
    ...table.rows.map((row) =>
      table.columns.map((column, index) => {
        const cell = row[index] ?? null;
        if (cell === null) return null;
        if (column.kind === 'text') return { value: String(cell), type: String };
        if (column.kind === 'date') {
          const text = String(cell);
          if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return { value: text, type: String };
          return { value: new Date(`${text}T00:00:00Z`), type: Date, format: FORMATS.date };
        }
        const value = numberOf(cell);
        if (value === null) return null;
        return { value, type: Number, ...(FORMATS[column.kind] ? { format: FORMATS[column.kind] } : {}) };
      }),
    ),
  ];
}

async function downloadXlsx(table: ExportTable): Promise<void> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  await writeXlsxFile(sheetRows(table), {
    sheet: table.sheetName.slice(0, 31),
    columns: table.columns.map((column) => ({
      width: Math.min(40, Math.max(10, column.header.length + 2)),
    })),
    stickyRowsCount: 1,
  }).toFile(`${table.fileName}.xlsx`);
}

export function ExportMenu({ table, label }: { table: ExportTable | null; label?: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button
          variant="default"
          disabled={!table}
          loading={busy}
          aria-label={label ? `${t('export.menu')}: ${label}` : t('export.menu')}
          title={failed ?? undefined}
        >
          {t('export.menu')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => table && downloadCsv(`${table.fileName}.csv`, csvRows(table))}>
          {t('export.csv')}
        </Menu.Item>
        <Menu.Item
          onClick={() => {
            if (!table) return;
            setBusy(true);
            setFailed(null);
            downloadXlsx(table)
              .catch((error: unknown) => setFailed(error instanceof Error ? error.message : String(error)))
              .finally(() => setBusy(false));
          }}
        >
          {t('export.xlsx')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
