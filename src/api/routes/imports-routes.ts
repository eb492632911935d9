/**
 * Imports over HTTP. `POST /imports` (admin): a JSON body of file name → CSV text, canonical files or
 * a CRM export with a preset / mapping, imported while the request waits; the answer is the summary,
 * or every problem (422). `POST /imports/uploads` (admin): the same files as multipart/form-data,
 * imported in the background (202 with the run's id); `GET /imports/{id}` follows the run and
 * `GET /imports/{id}/problems.csv` is a failed run's problem report. Both doors go through
 * `runUploadedImport`: the same all-or-nothing importer as `perennial import`.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ADMIN_ONLY } from '../../auth/roles.ts';
import {
  getImportRun,
  IMPORT_STATUSES,
  importProblemsCsv,
  listImportRuns,
} from '../../engine/queries/import-runs.ts';
import { createUploadDir, runUploadedImport, type UploadDir } from '../../engine/run-uploaded-import.ts';
import {
  createUploadedImportQueue,
  failAbandonedImports,
  failStaleImport,
} from '../../engine/uploaded-import-queue.ts';
import { CRM_PRESETS, type CrmPreset } from '../../import/presets/crm-presets.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import { PageQuerySchema, pageOf } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const FILE_NAME = /^[\w][\w .()-]{0,100}\.csv$/i;
const PRESETS = Object.keys(CRM_PRESETS) as [CrmPreset, ...CrmPreset[]];
/** More files than the canonical set and a CRM export together ever need. */
const MAX_UPLOAD_FILES = 30;
/** Room for the multipart boundaries and part headers around the files. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const ImportStatusSchema = z.enum(IMPORT_STATUSES);

const ImportRunSchema = z
  .object({
    id: z.number().int(),
    status: ImportStatusSchema,
    startedAt: z.string(),
    finishedAt: z.string().nullable().describe('null while an upload is queued or running'),
    files: z.array(z.string()),
    summary: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ImportRun' });

const ImportRunStateSchema = z
  .object({
    id: z.number().int(),
    status: ImportStatusSchema,
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    files: z.array(z.string()).describe('the files as uploaded'),
    progress: z
      .object({
        file: z.string().describe('the canonical file being read'),
        rows: z.number().int(),
        bytesRead: z.number().int(),
        sizeBytes: z.number().int(),
      })
      .nullable()
      .describe('while running: the file being read and how far (null before the first file)'),
    summary: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('once done: the ImportSummary (files with inserted/updated/unchanged, rows, warnings)'),
    problemCount: z.number().int().describe('problems of a failed run (see problems.csv)'),
  })
  .meta({ id: 'ImportRunState' });

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

const ImportParams = z.object({ importId: z.string().regex(/^\d{1,18}$/, 'an import run id') });
const importRecord = { record: { kind: 'import' as const, param: 'importId' } };

/** A 400 naming the form field at fault, shaped like the schema validation errors. */
const invalidField = (field: string, message: string) =>
  new ApiError('invalid_request', `${field}: ${message}`, {
    errors: [{ in: 'body', path: `/${field}`, message }],
  });

type UploadForm = { files: string[]; preset: CrmPreset | null };

const MULTIPART_LIMIT_CODES = new Set([
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_FIELDS_LIMIT',
]);

/** Streams the form's CSV files into the upload directory, checking names, fields and sizes. */
async function readUploadForm(
  request: FastifyRequest,
  upload: UploadDir,
  maxBytes: number,
): Promise<UploadForm> {
  const tooLarge = () =>
    new ApiError(
      'payload_too_large',
      `the files are over the upload limit of ${Math.floor(maxBytes / (1024 * 1024))} MiB`,
    );
  const files: string[] = [];
  const seen = new Set<string>();
  let preset: CrmPreset | null = null;
  let total = 0;
  try {
    const parts = request.parts({
      limits: {
        fileSize: maxBytes,
        files: MAX_UPLOAD_FILES,
        fields: 5,
        fieldSize: 1024,
        fieldNameSize: 100,
        parts: MAX_UPLOAD_FILES + 5,
      },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname === 'files') throw invalidField('files', 'send each CSV as a file, not as text');
        if (part.fieldname !== 'preset') {
          throw new ApiError('unknown_field', `unknown field ${part.fieldname}; send files and preset`, {
            fields: [part.fieldname],
          });
        }
        const parsed = z.enum(PRESETS).safeParse(part.value);
        if (!parsed.success) {
          throw invalidField('preset', `unknown preset ${String(part.value)}; use ${PRESETS.join(' or ')}`);
        }
        preset = parsed.data;
        continue;
      }
      if (part.fieldname !== 'files') {
        part.file.resume();
        throw new ApiError('unknown_field', `unknown field ${part.fieldname}; send the CSV files as files`, {
          fields: [part.fieldname],
        });
      }
      const name = part.filename;
      if (!FILE_NAME.test(name)) {
        part.file.resume();
        throw invalidField('files', `${name || '(no name)'} is not a .csv file name without directories`);
      }
      if (seen.has(name.toLowerCase())) {
        part.file.resume();
        throw invalidField('files', `${name} is given twice`);
      }
      seen.add(name.toLowerCase());
      total += await upload.save(name, part.file);
      if (part.file.truncated || total > maxBytes) throw tooLarge();
      files.push(name);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const { code, statusCode, message } = error as { code?: string; statusCode?: number; message?: string };
    if (code && MULTIPART_LIMIT_CODES.has(code)) throw tooLarge();
    // The parser's own errors (a broken or cut-off form); file system errors carry a code and stay 500s.
    if (code === undefined || (statusCode !== undefined && statusCode >= 400 && statusCode < 500)) {
      throw new ApiError(
        'invalid_request',
        `the multipart/form-data body is not valid: ${message ?? 'unreadable'}`,
      );
    }
    throw error;
  }
  if (files.length === 0) throw invalidField('files', 'give at least one .csv file');
  return { files, preset };
}

export function registerImportRoutes(app: ApiApp, deps: ApiDeps): void {
  const queue = createUploadedImportQueue({ store: deps.store, log: deps.log, now: deps.now });
  // Runs a stopped process left unfinished are failed once the app is ready; shutting down waits
  // for the uploads already accepted.
  app.addHook('onReady', async () => {
    const failed = await failAbandonedImports({ store: deps.store });
    if (failed > 0) deps.log.warn({ event: 'imports_abandoned', count: failed }, 'unfinished imports failed');
  });
  app.addHook('onClose', () => queue.drain());

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
          preset: z.enum(PRESETS).optional(),
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
      const upload = await createUploadDir();
      try {
        for (const [name, text] of Object.entries(request.body.files)) await upload.save(name, text);
        const summary = await runUploadedImport({
          store: deps.store,
          tenantId: principal.tenantId,
          actor: principal.userId,
          upload,
          preset: request.body.preset ?? null,
          mapping: request.body.mapping ?? null,
          runId: null,
          now: deps.now,
        });
        return reply.status(201).send(summary);
      } finally {
        await upload.remove();
      }
    },
  );

  app.register(async (scope) => {
    // Multipart parsing is for this route only.
    await scope.register(fastifyMultipart, { throwFileSizeLimit: true });
    (scope as unknown as ApiApp).post(
      '/imports/uploads',
      {
        schema: {
          operationId: 'uploadImport',
          tags: ['imports'],
          summary:
            'Upload a CSV set as multipart/form-data; it is imported in the background (all or nothing)',
          consumes: ['multipart/form-data'],
          body: z.object({
            files: z.array(z.file()).describe('one or more .csv files (repeat the field)'),
            preset: z.enum(PRESETS).optional().describe('the files are a CRM export of this kind'),
          }),
          response: {
            202: z
              .object({ id: z.number().int(), status: z.enum(['queued', 'running']) })
              .describe('follow the run at GET /imports/{id}'),
            ...problemResponses(400, 401, 403, 413, 415),
          },
        },
        // The form is read as a stream in the handler; the body schema above documents it.
        validatorCompiler: () => (value) => ({ value }),
        config: { access: allow(ADMIN_ONLY, 'admin') },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!request.isMultipart()) {
          throw new ApiError(
            'unsupported_media_type',
            'send multipart/form-data with the CSV files as files',
          );
        }
        const maxBytes = deps.limits.importBodyBytes;
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) {
          throw new ApiError('payload_too_large', 'the request body is over the size limit of this endpoint');
        }
        const upload = await createUploadDir();
        try {
          const form = await readUploadForm(request, upload, maxBytes);
          const run = await queue.enqueue({
            tenantId: principal.tenantId,
            actor: principal.userId,
            upload,
            files: form.files,
            preset: form.preset,
          });
          return reply.status(202).send(run);
        } catch (error) {
          await upload.remove();
          throw error;
        }
      },
    );
  });

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

  app.get(
    '/imports/:importId',
    {
      schema: {
        operationId: 'getImport',
        tags: ['imports'],
        summary: 'One import run: its status, progress while running, summary once done',
        params: ImportParams,
        response: { 200: ImportRunStateSchema, ...problemResponses(400, 401, 403, 404) },
      },
      config: { access: allow(['admin', 'manager'], 'read', importRecord) },
    },
    async (request) => {
      const tenantId = principalOf(request).tenantId;
      const id = Number(request.params.importId);
      await failStaleImport({ store: deps.store, tenantId, id });
      const run = await getImportRun({ session: deps.store, tenantId, id });
      if (!run) throw new ApiError('not_found', `no import ${id}`);
      return run;
    },
  );

  app.get(
    '/imports/:importId/problems.csv',
    {
      schema: {
        operationId: 'getImportProblems',
        tags: ['imports'],
        summary: 'A failed run’s problems as CSV: file,line,column,problem',
        params: ImportParams,
        response: {
          200: {
            description: 'one row per problem (a run without problems gives the header only)',
            content: { 'text/csv': { schema: z.string() } },
          },
          ...problemResponses(400, 401, 403, 404),
        },
      },
      config: { access: allow(['admin', 'manager'], 'read', importRecord) },
    },
    async (request, reply) => {
      const id = Number(request.params.importId);
      const csv = await importProblemsCsv({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        id,
      });
      if (csv === null) throw new ApiError('not_found', `no import ${id}`);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${id}-problems.csv"`)
        .send(csv);
    },
  );
}
