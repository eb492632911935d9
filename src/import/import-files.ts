/**
 * `perennial import`: loads canonical CSV files into the store, all or nothing.
 *
 * Each file streams through the splitter and its row schema (`read-canonical-file.ts`) into a
 * temporary staging table (COPY in batches, so memory does not grow with file size). With everything staged, set-based SQL checks
 * duplicate ids and references across files and the store; any problem rolls the whole transaction
 * back. Otherwise each table is upserted from its staging table by external id, updating only rows
 * whose values changed — so re-importing the same files changes nothing.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { currencyExponent } from '../domain/money.ts';
import type { SqlSession, Store } from '../store/store.ts';
import { quoteIdent } from '../store/store.ts';
import { analyzeIfChanged } from './analyze-changed.ts';
import {
  type AnyCanonicalFile,
  CANONICAL_FILES,
  type CanonicalFile,
  canonicalFileByName,
} from './canonical-files.ts';
import { InputError, ProblemLog } from './problems.ts';
import { openCanonicalFile } from './read-canonical-file.ts';
import { csvLine } from './stage-csv.ts';

export type ImportProgress = { file: string; rows: number; bytesRead: number; sizeBytes: number };

export type FileResult = { file: string; rows: number; inserted: number; updated: number; unchanged: number };

export type ImportSummary = {
  files: FileResult[];
  rows: number;
  warnings: string[];
  durationMs: number;
};

const BATCH_ROWS = 20_000;
const TARGET_KEYS = { accounts: 'account_id', contracts: 'contract_id', users: 'user_id' } as const;
const TARGET_NOUN = { accounts: 'account', contracts: 'contract', users: 'user' } as const;
/** Tables without an updated_at column (append-mostly facts). */
/** Tables whose rows carry an optimistic-lock `version`. */
const VERSIONED_TABLES: ReadonlySet<string> = new Set(['renewals', 'stakeholders']);
const FACT_TABLES = new Set(['usage', 'tickets', 'surveys', 'signals']);

/** Resolves directories and file paths into canonical file name → path, in dependency order. */
export async function resolveInputFiles(
  inputs: readonly string[],
  problems: ProblemLog,
): Promise<Map<AnyCanonicalFile, string>> {
  const found = new Map<string, string>();
  const add = (name: string, filePath: string) => {
    if (found.has(name)) {
      problems.error({
        file: name,
        line: null,
        column: null,
        message: `given twice (${found.get(name)} and ${filePath})`,
      });
    }
    found.set(name, filePath);
  };
  for (const input of inputs) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(input);
    } catch {
      problems.error({ file: input, line: null, column: null, message: 'no such file or directory' });
      continue;
    }
    if (info.isDirectory()) {
      for (const entry of (await readdir(input)).sort()) {
        if (!entry.toLowerCase().endsWith('.csv')) continue;
        if (canonicalFileByName(entry.toLowerCase())) add(entry.toLowerCase(), path.join(input, entry));
        else
          problems.warn({
            file: entry,
            line: null,
            column: null,
            message: 'not a canonical file name, ignored',
          });
      }
    } else {
      const name = path.basename(input).toLowerCase();
      if (canonicalFileByName(name)) add(name, input);
      else
        problems.error({
          file: path.basename(input),
          line: null,
          column: null,
          message: `not a canonical file name (expected one of ${CANONICAL_FILES.map((spec) => spec.file).join(', ')})`,
        });
    }
  }
  if (inputs.length > 0 && found.size === 0 && !problems.hasErrors) {
    problems.error({
      file: inputs.join(', '),
      line: null,
      column: null,
      message: 'contains no canonical CSV file',
    });
  }
  const ordered = new Map<AnyCanonicalFile, string>();
  for (const spec of CANONICAL_FILES) {
    const filePath = found.get(spec.file);
    if (filePath) ordered.set(spec, filePath);
  }
  return ordered;
}

const stageTable = (spec: { table: string }) => `stage_${spec.table}`;

async function createStage(tx: SqlSession, spec: CanonicalFile<unknown>): Promise<void> {
  const select = spec.dbColumns
    .map(({ db }) => (db.endsWith('_text') ? `NULL::text AS ${quoteIdent(db)}` : quoteIdent(db)))
    .join(', ');
  await tx.execute(
    `CREATE TEMP TABLE ${stageTable(spec)} ON COMMIT DROP AS SELECT ${select} FROM ${quoteIdent(spec.table)} WITH NO DATA`,
  );
  await tx.execute(`ALTER TABLE ${stageTable(spec)} ADD COLUMN line integer NOT NULL`);
}

async function stageFile(
  tx: SqlSession,
  spec: CanonicalFile<unknown>,
  filePath: string,
  problems: ProblemLog,
  onProgress: ((progress: ImportProgress) => void) | undefined,
): Promise<{ rows: number; presentColumns: ReadonlySet<string> } | null> {
  const opened = await openCanonicalFile({ path: filePath, spec, problems });
  if (!opened) return null;
  await createStage(tx, spec);
  const columns = [...spec.dbColumns.map(({ db }) => db), 'line'];
  let batch: string[] = [];
  let rows = 0;
  // One COPY in flight while the next batch is parsed: the database loads batch n while this process
  // parses and validates batch n+1 (two cores busy instead of taking turns); memory stays two batches.
  let copying: Promise<void> = Promise.resolve();
  const flush = async () => {
    await copying;
    if (batch.length > 0) {
      copying = tx.copyCsv(stageTable(spec), columns, batch.join(''));
      // Not awaited here; a failure surfaces at the next flush. Mark it handled meanwhile.
      copying.catch(() => undefined);
    }
    batch = [];
    onProgress?.({ file: spec.file, rows, bytesRead: opened.bytesRead(), sizeBytes: opened.sizeBytes });
  };
  for await (const parsed of opened.batches) {
    for (const { line, record, extras } of parsed) {
      rows += 1;
      // Rows are staged even after a problem, so the cross-file checks below still report everything.
      const cells = spec.toRow(record, extras);
      cells.push(line);
      batch.push(csvLine(cells));
    }
    if (batch.length >= BATCH_ROWS) await flush();
  }
  await flush();
  await copying;
  if (spec.sequenceWithin) {
    const partition = spec.sequenceWithin.map(quoteIdent).join(', ');
    await tx.execute(`ALTER TABLE ${stageTable(spec)} ADD COLUMN seq smallint`);
    await tx.execute(
      `UPDATE ${stageTable(spec)} s SET seq = r.n FROM (
         SELECT line, row_number() OVER (PARTITION BY ${partition} ORDER BY line) AS n FROM ${stageTable(spec)}) r
       WHERE r.line = s.line`,
    );
  }
  if (spec.table in TARGET_KEYS) {
    // Other files' references are looked up here: index the id like the real table is.
    const key = TARGET_KEYS[spec.table as keyof typeof TARGET_KEYS];
    await tx.execute(`CREATE INDEX ON ${stageTable(spec)} (${key})`);
  }
  await tx.execute(`ANALYZE ${stageTable(spec)}`);
  return { rows, presentColumns: opened.presentColumns };
}

async function checkDuplicates(
  tx: SqlSession,
  spec: CanonicalFile<unknown>,
  problems: ProblemLog,
): Promise<void> {
  const keys = spec.key.map(quoteIdent).join(', ');
  const duplicates = await tx.query<{ lines: number[]; key: string }>(
    `SELECT array_agg(line ORDER BY line) AS lines, concat_ws(' / ', ${keys}) AS key
       FROM ${stageTable(spec)} GROUP BY ${keys} HAVING count(*) > 1 ORDER BY min(line) LIMIT ${problems.cap}`,
  );
  for (const { lines, key } of duplicates) {
    for (const line of lines.slice(1)) {
      problems.error({
        file: spec.file,
        line,
        column: spec.key.join('+'),
        message: `duplicate ${key} (first on line ${lines[0]})`,
      });
    }
  }
}

async function checkReferences(
  tx: SqlSession,
  tenantId: string,
  spec: CanonicalFile<unknown>,
  staged: ReadonlySet<string>,
  problems: ProblemLog,
): Promise<void> {
  for (const reference of spec.references) {
    const key = TARGET_KEYS[reference.target];
    const column = quoteIdent(reference.dbColumn);
    const inStage = staged.has(reference.target)
      ? `AND NOT EXISTS (SELECT 1 FROM stage_${reference.target} t WHERE t.${key} = s.${column})`
      : '';
    const missing = await tx.query<{ line: number; id: string; total: number }>(
      `SELECT s.line, s.${column} AS id, count(*) OVER ()::int AS total FROM ${stageTable(spec)} s
        WHERE s.${column} IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${reference.target} t WHERE t.tenant_id = $1 AND t.${key} = s.${column})
          ${inStage}
        ORDER BY s.line LIMIT ${problems.cap}`,
      [tenantId],
    );
    for (const { line, id } of missing) {
      problems.error({
        file: spec.file,
        line,
        column: reference.column,
        message: `unknown ${TARGET_NOUN[reference.target]} ${id} (not in ${reference.target}.csv nor in the store)`,
      });
    }
    const total = missing[0]?.total ?? 0;
    if (total > missing.length) problems.errorCount += total - missing.length;
  }
}

/** Emails are unique per workspace (people sign in with them): within users.csv and against the store. */
async function checkUserEmails(tx: SqlSession, tenantId: string, problems: ProblemLog): Promise<void> {
  const duplicates = await tx.query<{ lines: number[]; email: string }>(
    `SELECT array_agg(line ORDER BY line) AS lines, min(email) AS email FROM stage_users
      GROUP BY lower(email) HAVING count(*) > 1 ORDER BY min(line) LIMIT ${problems.cap}`,
  );
  for (const { lines, email } of duplicates) {
    for (const line of lines.slice(1)) {
      problems.error({
        file: 'users.csv',
        line,
        column: 'email',
        message: `${email} is already used on line ${lines[0]}`,
      });
    }
  }
  const taken = await tx.query<{ line: number; email: string; user_id: string }>(
    `SELECT s.line, s.email, u.user_id FROM stage_users s
       JOIN users u ON u.tenant_id = $1 AND lower(u.email) = lower(s.email) AND u.user_id <> s.user_id
      WHERE NOT EXISTS (SELECT 1 FROM stage_users o WHERE o.user_id = u.user_id)
      ORDER BY s.line LIMIT ${problems.cap}`,
    [tenantId],
  );
  for (const { line, email, user_id: other } of taken) {
    problems.error({
      file: 'users.csv',
      line,
      column: 'email',
      message: `${email} already belongs to user ${other} in the store`,
    });
  }
}

async function warnUnknownOwners(
  tx: SqlSession,
  tenantId: string,
  staged: ReadonlySet<string>,
  problems: ProblemLog,
) {
  const inStage = staged.has('users')
    ? 'AND NOT EXISTS (SELECT 1 FROM stage_users u WHERE u.user_id = s.owner)'
    : '';
  const unknown = await tx.query<{ line: number; owner: string; column: string }>(
    `SELECT s.line, s.owner, s.col AS column FROM (
        SELECT line, owner_csm AS owner, 'owner_csm' AS col FROM stage_accounts
        UNION ALL SELECT line, owner_sales, 'owner_sales' FROM stage_accounts) s
      WHERE s.owner IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = $1 AND u.user_id = s.owner) ${inStage}
      ORDER BY s.line LIMIT ${problems.cap}`,
    [tenantId],
  );
  for (const { line, owner, column } of unknown) {
    problems.warn({
      file: 'accounts.csv',
      line,
      column,
      message: `unknown user ${owner} (kept; add it in users.csv)`,
    });
  }
}

/** Converts renewed_arr text to minor units in the renewed contract's currency, checking its decimals. */
async function priceRenewals(
  tx: SqlSession,
  tenantId: string,
  staged: ReadonlySet<string>,
  problems: ProblemLog,
) {
  await tx.execute(
    'ALTER TABLE stage_renewals ADD COLUMN renewed_arr_minor bigint, ADD COLUMN currency text',
  );
  if (staged.has('contracts')) {
    await tx.execute(
      `UPDATE stage_renewals s SET currency = sc.currency FROM stage_contracts sc
        WHERE sc.contract_id = s.contract_id AND s.renewed_arr_text IS NOT NULL`,
    );
  }
  await tx.execute(
    `UPDATE stage_renewals s SET currency = c.currency FROM contracts c
      WHERE s.currency IS NULL AND s.renewed_arr_text IS NOT NULL AND c.tenant_id = $1 AND c.contract_id = s.contract_id`,
    [tenantId],
  );
  const currencies = await tx.query<{ currency: string }>(
    'SELECT DISTINCT currency FROM stage_renewals WHERE currency IS NOT NULL',
  );
  if (currencies.length === 0) return;
  const exponents = currencies.map(
    ({ currency }) => `('${currency.replace(/[^A-Z]/g, '')}', ${currencyExponent(currency)})`,
  );
  const rounding = await tx.query<{ line: number; text: string; currency: string }>(
    `SELECT s.line, s.renewed_arr_text AS text, s.currency FROM stage_renewals s
       JOIN (VALUES ${exponents.join(', ')}) AS e(currency, exponent) ON e.currency = s.currency
      WHERE scale(trim_scale(s.renewed_arr_text::numeric)) > e.exponent ORDER BY s.line LIMIT ${problems.cap}`,
  );
  for (const { line, text, currency } of rounding) {
    problems.error({
      file: 'renewals.csv',
      line,
      column: 'renewed_arr',
      message: `${text} has more decimals than ${currency} allows`,
    });
  }
  await tx.execute(
    `UPDATE stage_renewals s SET renewed_arr_minor = (s.renewed_arr_text::numeric * power(10, e.exponent))::bigint
       FROM (VALUES ${exponents.join(', ')}) AS e(currency, exponent) WHERE e.currency = s.currency`,
  );
}

/**
 * Upserts a staged file. With `stampAccounts`, a fact row inserted or changed also stamps its account's
 * `updated_at` (fact tables have none), so an incremental daily run finds every account whose inputs
 * changed; a tenant that has never run does not need it, and its first bulk load skips the work.
 */
async function upsert(
  tx: SqlSession,
  tenantId: string,
  spec: CanonicalFile<unknown>,
  presentColumns: ReadonlySet<string>,
  stampAccounts: boolean,
): Promise<{ inserted: number; updated: number }> {
  const table = quoteIdent(spec.table);
  const isRenewals = spec.table === 'renewals';
  const columns = spec.dbColumns
    .map(({ db, csv }) => ({ db: db === 'renewed_arr_text' ? 'renewed_arr_minor' : db, csv }))
    .concat(isRenewals ? [{ db: 'account_id', csv: null }] : [])
    .concat(spec.sequenceWithin ? [{ db: 'seq', csv: null }] : []);
  const selectList = columns.map(({ db }) =>
    db === 'account_id' && isRenewals ? 'c.account_id' : `s.${quoteIdent(db)}`,
  );
  const from = isRenewals
    ? 'stage_renewals s JOIN contracts c ON c.tenant_id = $1 AND c.contract_id = s.contract_id'
    : `${stageTable(spec)} s`;
  const updatable = columns.filter(
    ({ db, csv }) => !spec.key.includes(db) && (csv === null ? db === 'attributes' : presentColumns.has(csv)),
  );
  const assignments = updatable.map(({ db }) =>
    db === 'attributes'
      ? 'attributes = t.attributes || EXCLUDED.attributes'
      : `${quoteIdent(db)} = EXCLUDED.${quoteIdent(db)}`,
  );
  if (!FACT_TABLES.has(spec.table) && assignments.length > 0) assignments.push('updated_at = now()');
  // An import that changes an optimistically locked record moves its version, so an edit made
  // against the old version gets 409 instead of silently overwriting the imported values.
  if (VERSIONED_TABLES.has(spec.table) && assignments.length > 0) assignments.push('version = t.version + 1');
  const changed = updatable.map(({ db }) =>
    db === 'attributes'
      ? 't.attributes @> EXCLUDED.attributes'
      : `t.${quoteIdent(db)} IS NOT DISTINCT FROM EXCLUDED.${quoteIdent(db)}`,
  );
  const conflict =
    assignments.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${assignments.join(', ')} WHERE NOT (${changed.join(' AND ')})`;
  // Nothing of this tenant in the table yet (a first load): no row can conflict — duplicates within
  // the file were refused above — so a plain INSERT does the same at bulk-load cost.
  const [existing] = await tx.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${table} WHERE tenant_id = $1) AS any`,
    [tenantId],
  );
  if (existing?.any === false) {
    const inserted = await tx.execute(
      `INSERT INTO ${table} (tenant_id, ${columns.map(({ db }) => quoteIdent(db)).join(', ')})
       SELECT $1, ${selectList.join(', ')} FROM ${from}`,
      [tenantId],
    );
    if (stampAccounts && FACT_TABLES.has(spec.table) && inserted > 0) {
      await tx.execute(
        `UPDATE accounts a SET updated_at = now() WHERE a.tenant_id = $1 AND a.updated_at <> now()
           AND a.account_id IN (SELECT account_id FROM ${from})`,
        [tenantId],
      );
    }
    return { inserted, updated: 0 };
  }
  const stamp =
    stampAccounts && FACT_TABLES.has(spec.table)
      ? `, stamped AS (UPDATE accounts a SET updated_at = now()
           WHERE a.tenant_id = $1 AND a.updated_at <> now() AND a.account_id IN (SELECT account_id FROM up))`
      : '';
  const [counts] = await tx.query<{ inserted: number; updated: number }>(
    `WITH up AS (
       INSERT INTO ${table} AS t (tenant_id, ${columns.map(({ db }) => quoteIdent(db)).join(', ')})
       SELECT $1, ${selectList.join(', ')} FROM ${from}
       ON CONFLICT (tenant_id, ${spec.key.map(quoteIdent).join(', ')}) ${conflict}
       RETURNING (xmax = 0) AS inserted${stamp ? ', t.account_id' : ''})${stamp}
     SELECT (count(*) FILTER (WHERE inserted))::int AS inserted, (count(*) FILTER (WHERE NOT inserted))::int AS updated FROM up`,
    [tenantId],
  );
  return counts ?? { inserted: 0, updated: 0 };
}

/** What an import records about itself, in its own transaction. */
export type ImportRunRecord = { startedAt: Date; files: string[]; summary: ImportSummary };

/** The default record: a new `import_runs` row (its id returned), finished at the transaction's time. */
export async function insertImportRun(
  tx: SqlSession,
  tenantId: string,
  { startedAt, files, summary }: ImportRunRecord,
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    'INSERT INTO import_runs (tenant_id, started_at, files, summary) VALUES ($1, $2, $3, $4) RETURNING id',
    [tenantId, startedAt.toISOString(), JSON.stringify(files), JSON.stringify(summary)],
  );
  return Number(row!.id);
}

export async function importFiles({
  store,
  tenantId,
  inputs,
  onProgress,
  now = () => new Date(),
  recordRun = async (tx, run) => {
    await insertImportRun(tx, tenantId, run);
  },
}: {
  store: Store;
  tenantId: string;
  inputs: readonly string[];
  onProgress?: (progress: ImportProgress) => void;
  now?: () => Date;
  /**
   * Records the run inside the import's transaction (default: `insertImportRun`). An uploaded import
   * marks its queued row done and writes its audit entry here, atomically with the data.
   */
  recordRun?: (tx: SqlSession, run: ImportRunRecord) => Promise<void>;
}): Promise<ImportSummary> {
  const startedAt = now();
  const problems = new ProblemLog();
  const files = await resolveInputFiles(inputs, problems);
  if (problems.hasErrors) throw new InputError(problems);

  return store.transaction(async (tx) => {
    await tx.execute('INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [
      tenantId,
    ]);
    const staged = new Map<CanonicalFile<unknown>, { rows: number; presentColumns: ReadonlySet<string> }>();
    for (const [spec, filePath] of files) {
      const result = await stageFile(tx, spec as CanonicalFile<unknown>, filePath, problems, onProgress);
      if (result) staged.set(spec as CanonicalFile<unknown>, result);
    }
    const stagedTables = new Set([...staged.keys()].map((spec) => spec.table));
    for (const spec of staged.keys()) await checkDuplicates(tx, spec, problems);
    for (const spec of staged.keys()) await checkReferences(tx, tenantId, spec, stagedTables, problems);
    if (stagedTables.has('users')) await checkUserEmails(tx, tenantId, problems);
    if (stagedTables.has('accounts')) await warnUnknownOwners(tx, tenantId, stagedTables, problems);
    if (stagedTables.has('renewals')) await priceRenewals(tx, tenantId, stagedTables, problems);
    if (problems.hasErrors) throw new InputError(problems);

    const results: FileResult[] = [];
    const [ran] = await tx.query<{ ran: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM daily_runs WHERE tenant_id = $1) AS ran',
      [tenantId],
    );
    for (const [spec, { rows, presentColumns }] of staged) {
      const { inserted, updated } = await upsert(tx, tenantId, spec, presentColumns, ran?.ran === true);
      await analyzeIfChanged(tx, spec.table, inserted + updated);
      results.push({ file: spec.file, rows, inserted, updated, unchanged: rows - inserted - updated });
    }
    const durationMs = now().getTime() - startedAt.getTime();
    const summary: ImportSummary = {
      files: results,
      rows: results.reduce((sum, file) => sum + file.rows, 0),
      warnings: problems.warningLines(),
      durationMs,
    };
    await recordRun(tx, {
      startedAt,
      files: [...files.values()].map((filePath) => path.basename(filePath)),
      summary,
    });
    return summary;
  });
}
