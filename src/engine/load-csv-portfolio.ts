/**
 * Reads a directory of canonical CSVs into account snapshots, without a database (the dry-run
 * `evaluate`, `quote` and `forecast` commands). Rows go through the same readers and zod schemas as
 * `import`, references are checked across files, and any problem fails the load with the same
 * `file:line: column: reason` report. Usage older than the engine's lookback is dropped while reading,
 * so memory grows with accounts, not with years of history.
 */
import { addDays, type CalendarDate } from '../domain/calendar.ts';
import { parseMoney } from '../domain/money.ts';
import type { AccountSnapshot, RenewalRecord, UserRecord } from '../domain/records.ts';
import { type CanonicalFile, type RenewalRow, renewalsFile } from '../import/canonical-files.ts';
import { resolveInputFiles } from '../import/import-files.ts';
import { InputError, ProblemLog } from '../import/problems.ts';
import { openCanonicalFile } from '../import/read-canonical-file.ts';

/** How far back usage, tickets and surveys matter to the engine (a year of weekly usage + a quarter). */
export const HISTORY_DAYS = 460;

export type CsvPortfolio = { snapshots: AccountSnapshot[]; users: UserRecord[]; warnings: string[] };

/**
 * With `asOf`, usage, tickets and surveys are kept only within the engine's look-back window (memory
 * grows with accounts, not years); without it, the whole history is kept (the commands that replay
 * the past: model evaluation, backtest, metrics).
 */
export async function loadCsvPortfolio({
  inputDir,
  asOf,
}: {
  inputDir: string;
  asOf?: CalendarDate;
}): Promise<CsvPortfolio> {
  const problems = new ProblemLog();
  const files = await resolveInputFiles([inputDir], problems);
  if (problems.hasErrors) throw new InputError(problems);
  const since = asOf === undefined ? null : addDays(asOf, -HISTORY_DAYS);
  const inWindow = (date: CalendarDate) =>
    since === null || asOf === undefined || (date >= since && date <= asOf);

  const byAccount = new Map<string, AccountSnapshot>();
  const users: UserRecord[] = [];
  const userIds = new Set<string>();
  const contractOwner = new Map<string, { accountId: string; currency: string }>();
  const pendingRefs: { file: string; line: number; column: string; id: string; kind: 'contract' | 'user' }[] =
    [];
  const renewalRows: { line: number; row: RenewalRow }[] = [];

  const snapshotFor = (file: string, line: number, accountId: string): AccountSnapshot | null => {
    const snapshot = byAccount.get(accountId);
    if (!snapshot) {
      problems.error({
        file,
        line,
        column: 'account_id',
        message: `unknown account ${accountId} (not in accounts.csv)`,
      });
      return null;
    }
    return snapshot;
  };

  for (const [spec, filePath] of files) {
    const opened = await openCanonicalFile({
      path: filePath,
      spec: spec as CanonicalFile<unknown>,
      problems,
    });
    if (!opened) continue;
    const seen = new Set<string>();
    for await (const { line, record, extras } of opened.rows) {
      const key = spec.key.map((column) => (record as Record<string, unknown>)[camel(column)]).join('\u0000');
      if (!spec.sequenceWithin && seen.has(key)) {
        problems.error({
          file: spec.file,
          line,
          column: spec.key.join('+'),
          message: `duplicate ${key.replaceAll('\u0000', ' / ')}`,
        });
        continue;
      }
      if (!spec.sequenceWithin) seen.add(key);
      switch (spec.table) {
        case 'users': {
          const user = record as UserRecord;
          users.push(user);
          userIds.add(user.userId);
          if (user.managerId)
            pendingRefs.push({
              file: spec.file,
              line,
              column: 'manager_id',
              id: user.managerId,
              kind: 'user',
            });
          break;
        }
        case 'accounts': {
          const account = record as AccountSnapshot['account'];
          byAccount.set(account.accountId, {
            account: { ...account, attributes: extras },
            contracts: [],
            usage: [],
            tickets: [],
            surveys: [],
            stakeholders: [],
            signals: [],
            renewals: [],
          });
          break;
        }
        case 'contracts': {
          const contract = record as AccountSnapshot['contracts'][number];
          const snapshot = snapshotFor(spec.file, line, contract.accountId);
          if (!snapshot) break;
          snapshot.contracts.push(contract);
          contractOwner.set(contract.contractId, {
            accountId: contract.accountId,
            currency: contract.currency,
          });
          if (contract.previousContractId) {
            pendingRefs.push({
              file: spec.file,
              line,
              column: 'previous_contract_id',
              id: contract.previousContractId,
              kind: 'contract',
            });
          }
          break;
        }
        case 'usage': {
          const row = record as AccountSnapshot['usage'][number];
          const snapshot = snapshotFor(spec.file, line, row.accountId);
          if (snapshot && inWindow(row.date)) snapshot.usage.push(row);
          break;
        }
        case 'tickets': {
          const row = record as AccountSnapshot['tickets'][number];
          const snapshot = snapshotFor(spec.file, line, row.accountId);
          if (snapshot && (since === null || row.openedOn >= since)) snapshot.tickets.push(row);
          break;
        }
        case 'surveys': {
          const row = record as AccountSnapshot['surveys'][number];
          const snapshot = snapshotFor(spec.file, line, row.accountId);
          if (snapshot && (since === null || row.date >= since)) snapshot.surveys.push(row);
          break;
        }
        case 'stakeholders': {
          const row = record as AccountSnapshot['stakeholders'][number];
          snapshotFor(spec.file, line, row.accountId)?.stakeholders.push(row);
          break;
        }
        case 'signals': {
          const row = record as AccountSnapshot['signals'][number];
          snapshotFor(spec.file, line, row.accountId)?.signals.push(row);
          break;
        }
        case 'renewals':
          renewalRows.push({ line, row: record as RenewalRow });
          break;
      }
    }
  }

  for (const ref of pendingRefs) {
    const known = ref.kind === 'user' ? userIds.has(ref.id) : contractOwner.has(ref.id);
    if (!known) {
      problems.error({
        file: ref.file,
        line: ref.line,
        column: ref.column,
        message: `unknown ${ref.kind} ${ref.id}`,
      });
    }
  }
  for (const { line, row } of renewalRows) {
    const contract = contractOwner.get(row.contractId);
    if (!contract) {
      problems.error({
        file: renewalsFile.file,
        line,
        column: 'contract_id',
        message: `unknown contract ${row.contractId} (not in contracts.csv)`,
      });
      continue;
    }
    let renewedArrMinor: number | null = null;
    if (row.renewedArrText !== null) {
      const parsed = parseMoney(row.renewedArrText, contract.currency);
      if ('problem' in parsed) {
        problems.error({ file: renewalsFile.file, line, column: 'renewed_arr', message: parsed.problem });
        continue;
      }
      renewedArrMinor = parsed.minor;
    }
    const { renewedArrText: _text, ...rest } = row;
    const renewal: RenewalRecord = { ...rest, renewedArrMinor };
    byAccount.get(contract.accountId)?.renewals.push(renewal);
  }
  if (problems.hasErrors) throw new InputError(problems);

  const snapshots = [...byAccount.values()].sort((a, b) =>
    a.account.accountId < b.account.accountId ? -1 : 1,
  );
  for (const snapshot of snapshots)
    snapshot.usage.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { snapshots, users, warnings: problems.warningLines() };
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
