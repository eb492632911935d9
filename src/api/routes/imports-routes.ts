/**
 * Imports over HTTP (admin): a JSON body of file name → CSV text, canonical files or a CRM export
 * with a preset / mapping. The files go to a temp directory and through the same all-or-nothing
 * importer as `perennial import`; the answer is the summary, or every problem (422).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ADMIN_ONLY } from '../../auth/roles.ts';
import { writeAuditEntry } from '../../engine/queries/audit-trail.ts';
import { listImportRuns } from '../../engine/queries/import-runs.ts';
import { importFiles } from '../../import/import-files.ts';
import { combineMappings, convertCrmExports } from '../../import/presets/convert-crm-export.ts';
import { CRM_PRESETS } from '../../import/presets/crm-presets.ts';
import { parseMappingSpec } from '../../import/presets/mapping-spec.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { problemResponses } from '../problem.ts';
import { PageQuerySchema, pageOf } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const FILE_NAME = /^[\w][\w .()-]{0,100}\.csv$/i;

const ImportRunSchema = z
  .object({
    id: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string(),
    files: z.array(z.string()),
    summary: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ImportRun' });

const ImportSummarySchema = z
  .object({
    files: z.array(
      z.object({
        file: z.string(),
        rows: z.number().int(),
        inserted: z.number().int(),
        updated: z.number().int(),
        unchanged: z.number().int(),
      }),
    ),
    rows: z.number().int(),
    warnings: z.array(z.string()),
    durationMs: z.number(),
    converted: z
      .array(
        z.object({
          source: z.string(),
          target: z.string(),
          rows: z.number().int(),
          skipped: z.number().int(),
        }),
      )
      .nullable()
      .describe('how CRM export files became canonical files (null without preset or mapping)'),
  })
  .meta({ id: 'ImportSummary' });

export function registerImportRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post(
    '/imports',
    {
      bodyLimit: deps.limits.importBodyBytes,
      schema: {
        operationId: 'createImport',
        tags: ['imports'],
        summary: 'Import a CSV set (canonical, or a CRM export with a preset or mapping) — all or nothing',
        body: z.strictObject({
          files: z
            .record(z.string().regex(FILE_NAME, 'a .csv file name without directories'), z.string())
            .refine((files) => Object.keys(files).length > 0, 'give at least one file')
            .describe('file name → CSV text'),
          preset: z.enum(['salesforce', 'hubspot']).optional(),
          mapping: z
            .record(z.string(), z.unknown())
            .optional()
            .describe('a mapping document (see docs/API.md)'),
        }),
        response: { 201: ImportSummarySchema, ...problemResponses(400, 401, 403, 413, 422) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-api-import-'));
      try {
        const sourceDir = path.join(dir, 'source');
        const canonicalDir = path.join(dir, 'canonical');
        await mkdir(sourceDir);
        await mkdir(canonicalDir);
        for (const [name, text] of Object.entries(request.body.files)) {
          await writeFile(path.join(sourceDir, path.basename(name)), text);
        }
        let converted: { source: string; target: string; rows: number; skipped: number }[] | null = null;
        let warnings: string[] = [];
        let importDir = sourceDir;
        if (request.body.preset || request.body.mapping) {
          const mapping = combineMappings(
            request.body.mapping ? parseMappingSpec(request.body.mapping, 'mapping') : null,
            request.body.preset ? CRM_PRESETS[request.body.preset] : null,
          );
          const report = await convertCrmExports({ inputs: [sourceDir], mapping, outputDir: canonicalDir });
          converted = report.files;
          warnings = report.warnings;
          importDir = canonicalDir;
        }
        const summary = await importFiles({
          store: deps.store,
          tenantId: principal.tenantId,
          inputs: [importDir],
          now: deps.now,
        });
        await writeAuditEntry(deps.store, {
          tenantId: principal.tenantId,
          at: deps.now(),
          actor: principal.userId,
          action: 'import',
          entity: 'import',
          entityId: Object.keys(request.body.files).join(','),
          changes: { files: { old: null, new: summary.files } },
        });
        return reply
          .status(201)
          .send({ ...summary, warnings: [...warnings, ...summary.warnings], converted });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        operationId: 'listImports',
        tags: ['imports'],
        summary: 'Past import runs, newest first',
        querystring: PageQuerySchema,
        response: { 200: pageOf(ImportRunSchema), ...problemResponses(400, 401, 403) },
      },
      config: { access: allow(['admin', 'manager'], 'read') },
    },
    async (request) =>
      listImportRuns({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        cursor: request.query.cursor ?? null,
        limit: request.query.limit,
      }),
  );
}
