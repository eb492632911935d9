/**
 * Turns CRM export files into canonical CSV files (in `outputDir`) by a mapping, streaming row by
 * row. Files already named canonically are copied as they are; files no mapping matches are
 * reported and left out. The importer then loads `outputDir` as usual (all or nothing).
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { CANONICAL_FILES, canonicalFileByName } from '../canonical-files.ts';
import type { ColumnSource, FileMapping, MappingSpec } from './mapping-spec.ts';
import { MappingError } from './mapping-spec.ts';

export type ConvertedFile = { source: string; target: string; rows: number; skipped: number };

export type ConversionReport = { files: ConvertedFile[]; warnings: string[] };

/** Combines mappings; earlier ones win when several match a file (a mapping file before a preset). */
export function combineMappings(...specs: (MappingSpec | null | undefined)[]): MappingSpec {
  const files = specs.flatMap((spec) => spec?.files ?? []);
  if (files.length === 0) throw new MappingError('no mapping given');
  return { name: specs.flatMap((spec) => (spec?.name ? [spec.name] : [])).join('+'), files };
}

async function listInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new MappingError(`${input}: no such file or directory`);
    if (info.isDirectory()) {
      for (const entry of (await readdir(input)).sort()) {
        if (entry.toLowerCase().endsWith('.csv')) files.push(path.join(input, entry));
      }
    } else files.push(input);
  }
  return files;
}

const US_OR_EU_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Normalises a date cell to YYYY-MM-DD (leaves anything unrecognised for the importer to report). */
export function normalizeDate(text: string, order: FileMapping['dateOrder']): string {
  const value = text.trim();
  const iso = ISO_DATE.exec(value);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const local = US_OR_EU_DATE.exec(value);
  if (local && order !== 'YMD') {
    const [first, second, year] = [local[1]!, local[2]!, local[3]!];
    const [month, day] = order === 'MDY' ? [first, second] : [second, first];
    return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  if (/^\d{13}$/.test(value)) return new Date(Number(value)).toISOString().slice(0, 10); // HubSpot epoch ms
  return value;
}

/** `$120,000.00` → `120000.00`; `1.234,50` stays for the importer to report (ambiguous). */
export function normalizeAmount(text: string): string {
  const value = text
    .trim()
    .replace(/^[A-Z]{3}\s+/, '')
    .replace(/[^\d.,-]/g, '');
  return /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value) ? value.replaceAll(',', '') : value;
}

function resolveSource(
  source: ColumnSource,
  header: ReadonlySet<string>,
): ((row: Record<string, string>) => string) | null {
  if (typeof source === 'string') return header.has(source) ? (row) => row[source] ?? '' : null;
  if (Array.isArray(source)) {
    const found = source.find((name) => header.has(name));
    return found === undefined ? null : (row) => row[found] ?? '';
  }
  if ('value' in source) return () => source.value;
  const present = source.join.filter((name) => header.has(name));
  if (present.length === 0) return null;
  return (row) =>
    present
      .map((name) => (row[name] ?? '').trim())
      .filter((part) => part !== '')
      .join(source.separator);
}

async function convertFile(
  file: string,
  mapping: FileMapping,
  outputPath: string,
  warnings: string[],
): Promise<ConvertedFile> {
  const name = path.basename(file);
  const spec = CANONICAL_FILES.find((candidate) => candidate.file === mapping.target)!;
  const parser = createReadStream(file).pipe(
    parse({
      bom: true,
      columns: (names: string[]) => names.map((n) => n.trim()),
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  const out = createWriteStream(outputPath);
  let header: Set<string> | null = null;
  let readers: { column: string; read: (row: Record<string, string>) => string }[] = [];
  let extras: string[] = [];
  let rows = 0;
  let skipped = 0;
  const write = async (cells: string[]) => {
    if (!out.write(stringify([cells]))) await once(out, 'drain');
  };
  const valueMaps = Object.fromEntries(
    Object.entries(mapping.values).map(([column, map]) => [
      column,
      new Map(Object.entries(map).map(([from, to]) => [from.trim().toLowerCase(), to])),
    ]),
  );
  for await (const row of parser as AsyncIterable<Record<string, string>>) {
    if (header === null) {
      header = new Set(Object.keys(row));
      for (const column of spec.columns) {
        const source = mapping.columns[column.name];
        const read = source === undefined ? null : resolveSource(source, header);
        if (read) readers.push({ column: column.name, read });
        else if (mapping.defaults[column.name] !== undefined)
          readers.push({ column: column.name, read: () => '' });
        else if (source !== undefined && column.required) {
          warnings.push(
            `${name}: none of the columns for ${mapping.target} ${column.name} is present (${JSON.stringify(source)})`,
          );
        }
      }
      for (const [column, source] of Object.entries(mapping.columns)) {
        if (spec.columns.some((c) => c.name === column)) continue;
        const read = resolveSource(source, header);
        if (read) readers.push({ column, read });
      }
      const used = new Set(
        Object.values(mapping.columns).flatMap((source) =>
          typeof source === 'string'
            ? [source]
            : Array.isArray(source)
              ? source
              : 'join' in source
                ? source.join
                : [],
        ),
      );
      for (const column of Object.keys(mapping.where)) used.add(column);
      extras =
        mapping.keepExtraColumns && spec.keepsExtraColumns
          ? [...header].filter(
              (column) =>
                !used.has(column) &&
                !readers.some((r) => r.column === column) &&
                /^[\w .-]{1,64}$/.test(column),
            )
          : [];
      readers = readers.filter(
        (reader, index) => readers.findIndex((r) => r.column === reader.column) === index,
      );
      await write([...readers.map((r) => r.column), ...extras]);
    }
    const keep = Object.entries(mapping.where).every(([column, accepted]) =>
      accepted.some((value) => value.toLowerCase() === (row[column] ?? '').trim().toLowerCase()),
    );
    if (!keep) {
      skipped += 1;
      continue;
    }
    rows += 1;
    const cells = readers.map(({ column, read }) => {
      let value = read(row).trim();
      if (value === '' && mapping.defaults[column] !== undefined) value = mapping.defaults[column]!;
      const map = valueMaps[column];
      if (map && value !== '') value = map.get(value.toLowerCase()) ?? value;
      if (value !== '' && mapping.dates.includes(column)) value = normalizeDate(value, mapping.dateOrder);
      if (value !== '' && mapping.amounts.includes(column)) value = normalizeAmount(value);
      return value;
    });
    await write([...cells, ...extras.map((column) => row[column] ?? '')]);
  }
  if (header === null) warnings.push(`${name}: empty file`);
  out.end();
  await once(out, 'finish');
  return { source: name, target: mapping.target, rows, skipped };
}

export async function convertCrmExports({
  inputs,
  mapping,
  outputDir,
}: {
  inputs: readonly string[];
  mapping: MappingSpec;
  outputDir: string;
}): Promise<ConversionReport> {
  const warnings: string[] = [];
  const files: ConvertedFile[] = [];
  const targets = new Map<string, string>();
  for (const file of await listInputs(inputs)) {
    const name = path.basename(file);
    const lower = name.toLowerCase();
    const claim = (target: string) => {
      const previous = targets.get(target);
      if (previous)
        throw new MappingError(`${name} and ${previous} both become ${target}; give one at a time`);
      targets.set(target, name);
    };
    if (canonicalFileByName(lower)) {
      claim(lower);
      await copyFile(file, path.join(outputDir, lower));
      files.push({ source: name, target: lower, rows: -1, skipped: 0 });
      continue;
    }
    const entry = mapping.files.find((candidate) => new RegExp(candidate.match, 'i').test(name));
    if (!entry) {
      warnings.push(`${name}: no mapping matches this file name; ignored`);
      continue;
    }
    claim(entry.target);
    files.push(await convertFile(file, entry, path.join(outputDir, entry.target), warnings));
  }
  if (files.length === 0) throw new MappingError(`no file to import in ${inputs.join(', ')}`);
  return { files, warnings };
}
