/**
 * A mapping from a CRM's CSV exports onto the canonical files: which source files become which
 * canonical file, where each canonical column comes from, how values translate, which rows to keep.
 * The Salesforce and HubSpot presets are mappings; `--mapping FILE` (YAML or JSON) adds or overrides.
 *
 * ```yaml
 * files:
 *   - match: "^accounts"            # regex on the source file name, case-insensitive
 *     target: accounts.csv
 *     columns:
 *       account_id: "Account ID"      # one header,
 *       name: ["Account Name", Name]  # the first present of several,
 *       currency: { value: EUR }      # a constant,
 *       owner_csm: { join: ["First", "Last"], separator: " " }  # or headers joined
 *     values: { segment_override: { Enterprise: enterprise } }   # case-insensitive
 *     defaults: { timezone: UTC }    # when the source cell is empty
 *     dates: [start_date]             # normalise to YYYY-MM-DD (dateOrder: MDY | DMY | YMD)
 *     amounts: [arr]                  # strip currency symbols and thousands separators
 *     where: { Stage: ["Closed Won"] }  # keep only rows whose source value is listed
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CANONICAL_FILES } from '../canonical-files.ts';

const ColumnSourceSchema = z.union([
  z.string().min(1),
  z.array(z.string().min(1)).min(1),
  z.strictObject({ value: z.string() }),
  z.strictObject({ join: z.array(z.string().min(1)).min(1), separator: z.string().default(' ') }),
]);
export type ColumnSource = z.infer<typeof ColumnSourceSchema>;

const CANONICAL_NAMES = CANONICAL_FILES.map((spec) => spec.file) as [string, ...string[]];

export const FileMappingSchema = z.strictObject({
  match: z
    .string()
    .min(1)
    .refine((text) => {
      try {
        new RegExp(text, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
  target: z.enum(CANONICAL_NAMES),
  columns: z.record(z.string(), ColumnSourceSchema),
  values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /** Canonical column → value used when the source cell is empty or missing. */
  defaults: z.record(z.string(), z.string()).default({}),
  dates: z.array(z.string()).default([]),
  dateOrder: z.enum(['YMD', 'MDY', 'DMY']).default('YMD'),
  amounts: z.array(z.string()).default([]),
  where: z.record(z.string(), z.array(z.string())).default({}),
  /** accounts.csv only: keep unmapped source columns as custom attributes. */
  keepExtraColumns: z.boolean().default(false),
});
export type FileMapping = z.infer<typeof FileMappingSchema>;

export const MappingSpecSchema = z.strictObject({
  name: z.string().optional(),
  files: z.array(FileMappingSchema).min(1),
});
export type MappingSpec = z.infer<typeof MappingSpecSchema>;

export class MappingError extends Error {
  readonly code = 'mapping_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

export function parseMappingSpec(raw: unknown, source: string): MappingSpec {
  const parsed = MappingSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new MappingError(lines.join('\n'));
  }
  for (const file of parsed.data.files) {
    const spec = CANONICAL_FILES.find((candidate) => candidate.file === file.target)!;
    const known = new Set(spec.columns.map((column) => column.name));
    const unknown = Object.keys(file.columns).filter((column) => !known.has(column));
    if (unknown.length > 0 && !spec.keepsExtraColumns) {
      throw new MappingError(`${source}: ${file.target} has no column ${unknown.join(', ')}`);
    }
  }
  return parsed.data;
}

/** Reads a YAML or JSON mapping file. */
export async function readMappingFile(file: string): Promise<MappingSpec> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new MappingError(`${file}: ${(error as Error).message}`);
  }
  return parseMappingSpec(raw, file);
}
