import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateProblem } from '../domain/calendar.ts';
import { parseMoney } from '../domain/money.ts';
import {
  SIGNAL_KINDS,
  STAKEHOLDER_ROLES,
  STANCES,
  STRENGTHS,
  TICKET_PRIORITIES,
  USER_ROLES,
} from '../domain/records.ts';
import { demoCompanyBaseName, demoUsdEquivalent } from './build-demo-account.ts';
import {
  DEMO_FILES,
  type DemoFile,
  DemoOptionsError,
  type DemoSummary,
  generateDemo,
} from './generate-demo.ts';

const AS_OF = '2026-11-23';
const ACCOUNTS = 300;

/** The headers of DATA-CONTRACT §1, written out here rather than imported so the test checks them. */
const CONTRACT_HEADERS: Record<DemoFile, string> = {
  users: 'user_id,name,email,role,manager_id',
  accounts:
    'account_id,name,industry,country,currency,fiscal_year_start_month,segment_override,strategic,owner_csm,owner_sales,timezone,plan,payment_method,onboarding_year',
  contracts:
    'contract_id,account_id,start_date,end_date,arr,currency,seats,auto_renew,payment_on_file,notice_days,status,previous_contract_id',
  usage: 'account_id,date,active_users,licensed_seats,core_feature_adoption_pct',
  tickets: 'ticket_id,account_id,opened_on,closed_on,priority,csat',
  surveys: 'account_id,date,kind,score,comment',
  stakeholders: 'stakeholder_id,account_id,name,email,role,strength,stance,last_contact_on,left_on',
  signals: 'account_id,date,kind,note',
  renewals: 'contract_id,outcome,closed_on,stage,renewed_arr,term_years,reasons,competitor,signed_days_early',
};

type Row = Record<string, string>;

let workDir: string;
let summary: DemoSummary;
let progress: number[];
const data = {} as Record<DemoFile, Row[]>;

async function generate(name: string, accounts: number, seed: number): Promise<DemoSummary> {
  return generateDemo({ accounts, seed, asOf: AS_OF, outputDir: join(workDir, name) });
}

function readText(dir: string, file: DemoFile): Promise<string> {
  return readFile(join(workDir, dir, `${file}.csv`), 'utf8');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'perennial-demo-'));
  progress = [];
  summary = await generateDemo({
    accounts: ACCOUNTS,
    seed: 7,
    asOf: AS_OF,
    outputDir: join(workDir, 'a'),
    onProgress: (rows) => progress.push(rows),
  });
  for (const file of DEMO_FILES) {
    data[file] = parse(await readText('a', file), { columns: true, skip_empty_lines: true }) as Row[];
  }
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('generateDemo: determinism', () => {
  it('writes byte-identical files for the same seed, and different ones for another seed', async () => {
    await generate('b', ACCOUNTS, 7);
    await generate('c', ACCOUNTS, 8);
    for (const file of DEMO_FILES) {
      expect(await readText('b', file), file).toBe(await readText('a', file));
    }
    expect(await readText('c', 'accounts')).not.toBe(await readText('a', 'accounts'));
    expect(await readText('c', 'usage')).not.toBe(await readText('a', 'usage'));
  });

  it("keeps account i's rows independent of the total number of accounts", async () => {
    await generate('small', 120, 7);
    for (const file of DEMO_FILES) {
      if (file === 'users') continue; // more accounts, more renewal pods
      const small = (await readText('small', file)).trimEnd().split('\n');
      const large = (await readText('a', file)).split('\n');
      expect(large.slice(0, small.length), file).toEqual(small);
    }
  });
});

describe('generateDemo: files and formats', () => {
  it('writes every file with exactly the contract header and reports the row counts', async () => {
    for (const file of DEMO_FILES) {
      const text = await readText('a', file);
      expect(text.split('\n')[0], file).toBe(CONTRACT_HEADERS[file]);
      expect(summary.files[file]).toBe(join(workDir, 'a', `${file}.csv`));
      expect(summary.counts[file], file).toBe(data[file].length);
    }
    expect(summary.counts.accounts).toBe(ACCOUNTS);
    expect(summary.counts.usage).toBeGreaterThan(ACCOUNTS * 40);
    const total = DEMO_FILES.reduce((sum, file) => sum + summary.counts[file], 0);
    expect(summary.totalRows).toBe(total);
    expect(progress.at(-1)).toBe(total);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('writes valid dates, none after asOf except contract ends', () => {
    const dateColumns: [DemoFile, string[]][] = [
      ['contracts', ['start_date', 'end_date']],
      ['usage', ['date']],
      ['tickets', ['opened_on', 'closed_on']],
      ['surveys', ['date']],
      ['stakeholders', ['last_contact_on', 'left_on']],
      ['signals', ['date']],
      ['renewals', ['closed_on']],
    ];
    for (const [file, columns] of dateColumns) {
      for (const row of data[file]) {
        for (const column of columns) {
          const value = row[column] ?? '';
          if (value === '') continue;
          expect(dateProblem(value), `${file}.${column}`).toBeNull();
          if (column !== 'end_date' && column !== 'start_date') {
            expect(value <= AS_OF, `${file}.${column} ${value}`).toBe(true);
          }
        }
      }
    }
    const earliestUsage = addDays(AS_OF, -7 * 51);
    for (const row of data.usage) expect(row.date! >= earliestUsage).toBe(true);
  });

  it('writes money as decimal strings in the row currency (JPY without decimals)', () => {
    const currencyOf = new Map(data.contracts.map((c) => [c.contract_id!, c.currency!]));
    const check = (text: string, currency: string) => {
      const parsed = parseMoney(text, currency);
      expect('problem' in parsed ? parsed.problem : null, `${text} ${currency}`).toBeNull();
      if (currency === 'JPY') expect(text).toMatch(/^\d+$/);
      else expect(text).toMatch(/^\d+\.\d{2}$/);
    };
    for (const contract of data.contracts) check(contract.arr!, contract.currency!);
    for (const renewal of data.renewals) {
      if (renewal.renewed_arr) check(renewal.renewed_arr, currencyOf.get(renewal.contract_id!)!);
    }
    const currencies = new Set(data.contracts.map((c) => c.currency));
    expect([...currencies].sort()).toEqual(['EUR', 'GBP', 'JPY', 'USD']);
  });

  it('uses the contract vocabularies, booleans and ranges', () => {
    const bools = ['true', 'false'];
    for (const user of data.users) expect(USER_ROLES).toContain(user.role);
    for (const account of data.accounts) {
      expect(bools).toContain(account.strategic);
      expect(['', 'enterprise', 'mid_market', 'smb']).toContain(account.segment_override);
      expect(Number(account.fiscal_year_start_month)).toBeGreaterThanOrEqual(1);
      expect(Number(account.fiscal_year_start_month)).toBeLessThanOrEqual(12);
      expect(account.timezone).toMatch(/^(America|Europe|Asia)\/\w+$/);
    }
    for (const contract of data.contracts) {
      expect(bools).toContain(contract.auto_renew);
      expect(bools).toContain(contract.payment_on_file);
      expect(['active', 'renewed', 'churned', 'cancelled']).toContain(contract.status);
      if (contract.auto_renew === 'true') expect(['30', '60', '90']).toContain(contract.notice_days);
    }
    for (const usage of data.usage) {
      const adoption = Number(usage.core_feature_adoption_pct);
      expect(adoption >= 0 && adoption <= 100).toBe(true);
      expect(Number.isInteger(Number(usage.active_users))).toBe(true);
    }
    for (const ticket of data.tickets) {
      expect(TICKET_PRIORITIES).toContain(ticket.priority);
      if (ticket.csat) expect(['1', '2', '3', '4', '5']).toContain(ticket.csat);
      if (ticket.closed_on) expect(ticket.closed_on >= ticket.opened_on!).toBe(true);
    }
    for (const survey of data.surveys) {
      const score = Number(survey.score);
      expect(survey.kind === 'nps' ? score <= 10 : score >= 1 && score <= 5).toBe(true);
    }
    for (const stakeholder of data.stakeholders) {
      expect(STAKEHOLDER_ROLES).toContain(stakeholder.role);
      if (stakeholder.strength) expect(STRENGTHS).toContain(stakeholder.strength);
      if (stakeholder.stance) expect(STANCES).toContain(stakeholder.stance);
    }
    for (const signal of data.signals) expect(SIGNAL_KINDS).toContain(signal.kind);
    for (const renewal of data.renewals) expect(['won', 'lost', 'pending']).toContain(renewal.outcome);
  });

  it('quotes fields with commas and quotes (RFC 4180)', async () => {
    const accounts = await readText('a', 'accounts');
    expect(data.accounts.some((a) => a.name!.includes(','))).toBe(true);
    expect(accounts).toMatch(/"[^"\n]*, [^"\n]*"/);
  });
});

describe('generateDemo: referential integrity', () => {
  it('has unique ids and every reference resolves', () => {
    const unique = (file: DemoFile, column: string) => {
      const ids = data[file].map((row) => row[column]!);
      expect(new Set(ids).size, `${file}.${column}`).toBe(ids.length);
      return new Set(ids);
    };
    const users = unique('users', 'user_id');
    const accounts = unique('accounts', 'account_id');
    const contracts = unique('contracts', 'contract_id');
    unique('tickets', 'ticket_id');
    unique('stakeholders', 'stakeholder_id');
    unique('accounts', 'name');
    unique('users', 'email');
    expect(data.users[0]?.user_id).toBe('U-001');
    expect(data.accounts[0]?.account_id).toBe('A-00001');

    for (const user of data.users) if (user.manager_id) expect(users).toContain(user.manager_id);
    expect(
      data.users.filter((u) => u.role !== 'admin' && u.role !== 'executive').every((u) => u.manager_id),
    ).toBe(true);
    for (const account of data.accounts) {
      if (account.owner_csm) expect(users).toContain(account.owner_csm);
      if (account.owner_sales) expect(users).toContain(account.owner_sales);
    }
    for (const file of ['contracts', 'usage', 'tickets', 'surveys', 'stakeholders', 'signals'] as const) {
      for (const row of data[file]) expect(accounts, file).toContain(row.account_id);
    }
    const byId = new Map(data.contracts.map((c) => [c.contract_id!, c]));
    for (const contract of data.contracts) {
      if (!contract.previous_contract_id) continue;
      const previous = byId.get(contract.previous_contract_id);
      expect(previous, contract.contract_id).toBeDefined();
      expect(previous?.account_id).toBe(contract.account_id);
      expect(previous?.status).toBe('renewed');
      expect(addDays(previous!.end_date!, 1)).toBe(contract.start_date);
    }
    for (const renewal of data.renewals) expect(contracts).toContain(renewal.contract_id);
  });

  it('gives each account one active contract, or a churned last contract and none active', () => {
    const byAccount = groupBy(data.contracts, (c) => c.account_id!);
    expect(byAccount.size).toBe(ACCOUNTS);
    for (const [accountId, contracts] of byAccount) {
      const active = contracts.filter((c) => c.status === 'active');
      const churned = contracts.filter((c) => c.status === 'churned');
      expect(active.length + churned.length, accountId).toBe(1);
      for (const contract of contracts) expect(contract.start_date! < contract.end_date!).toBe(true);
      if (active[0]) {
        expect(active[0].start_date! <= AS_OF).toBe(true);
        expect(active[0].end_date! <= addDays(AS_OF, 550)).toBe(true);
      }
    }
    const renewalOf = new Map(data.renewals.map((r) => [r.contract_id!, r]));
    for (const contract of data.contracts) {
      const renewal = renewalOf.get(contract.contract_id!);
      if (contract.status === 'renewed') expect(renewal?.outcome, contract.contract_id).toBe('won');
      if (contract.status === 'churned') expect(renewal?.outcome, contract.contract_id).toBe('lost');
      if (renewal?.outcome === 'pending') expect(contract.status).toBe('active');
    }
  });
});

describe('generateDemo: a realistic portfolio', () => {
  it('spreads segments by USD-equivalent ARR of the current contract', () => {
    const lastByAccount = new Map<string, Row>();
    for (const contract of data.contracts) lastByAccount.set(contract.account_id!, contract);
    const counts = { enterprise: 0, mid_market: 0, smb: 0 };
    for (const contract of lastByAccount.values()) {
      const parsed = parseMoney(contract.arr!, contract.currency!);
      if ('problem' in parsed) throw new Error(parsed.problem);
      const usd = demoUsdEquivalent(parsed.minor, contract.currency!);
      counts[usd >= 100_000 ? 'enterprise' : usd >= 10_000 ? 'mid_market' : 'smb'] += 1;
    }
    expect(counts.enterprise / ACCOUNTS).toBeGreaterThan(0.05);
    expect(counts.enterprise / ACCOUNTS).toBeLessThan(0.17);
    expect(counts.mid_market / ACCOUNTS).toBeGreaterThan(0.25);
    expect(counts.mid_market / ACCOUNTS).toBeLessThan(0.45);
    expect(counts.smb / ACCOUNTS).toBeGreaterThan(0.45);
    expect(counts.smb / ACCOUNTS).toBeLessThan(0.65);
    expect(data.accounts.some((a) => a.segment_override !== '')).toBe(true);
    expect(data.accounts.some((a) => a.strategic === 'true')).toBe(true);
  });

  it('has departed champions and single-threaded accounts', () => {
    expect(data.stakeholders.filter((s) => s.role === 'champion' && s.left_on).length).toBeGreaterThan(5);
    const active = new Set(data.contracts.filter((c) => c.status === 'active').map((c) => c.account_id));
    const people = groupBy(data.stakeholders, (s) => s.account_id!);
    const singleThreaded = [...active].filter(
      (id) => (people.get(id!) ?? []).filter((s) => s.left_on === '').length <= 1,
    );
    expect(singleThreaded.length).toBeGreaterThan(10);
    const enterpriseSized = [...people.values()].filter((list) => list.length >= 6);
    expect(enterpriseSized.length).toBeGreaterThan(10);
    const withSponsor = enterpriseSized.filter((list) => list.some((s) => s.role === 'executive_sponsor'));
    expect(withSponsor.length / enterpriseSized.length).toBeGreaterThan(0.5);
  });

  it('has losses to repeat competitors, early and multi-year renewals, pending late-stage renewals', () => {
    const lost = data.renewals.filter((r) => r.outcome === 'lost');
    const won = data.renewals.filter((r) => r.outcome === 'won');
    expect(lost.length).toBeGreaterThan(10);
    const competitors = groupBy(
      lost.filter((r) => r.competitor),
      (r) => r.competitor!,
    );
    expect(Math.max(...[...competitors.values()].map((list) => list.length))).toBeGreaterThanOrEqual(3);
    for (const renewal of lost) {
      expect(renewal.reasons).not.toBe('');
      expect(renewal.stage).toBe('closed_lost');
    }
    const early = won.filter((r) => Number(r.signed_days_early) >= 90);
    expect(early.length).toBeGreaterThan(5);
    expect(early.some((r) => Number(r.term_years) >= 2)).toBe(true);
    expect(won.every((r) => r.stage === 'closed_won' && r.closed_on && r.term_years)).toBe(true);
    expect(data.renewals.some((r) => r.outcome === 'pending' && r.stage === 'negotiation')).toBe(true);
    const reasons = new Set(data.renewals.flatMap((r) => r.reasons!.split(';')).filter(Boolean));
    for (const reason of ['value_realized', 'price', 'competitor', 'champion_left', 'budget_cut']) {
      expect(reasons).toContain(reason);
    }
  });

  it('keeps a healthy majority with a visible at-risk tail', () => {
    const troubledShare = summary.accounts.troubled / summary.accounts.active;
    expect(troubledShare).toBeGreaterThan(0.1);
    expect(troubledShare).toBeLessThan(0.3);
    // Sharp drops: active users down 40%+ over the last ~60 days.
    const usage = groupBy(data.usage, (u) => u.account_id!);
    let drops = 0;
    for (const rows of usage.values()) {
      if (rows.length < 13 || rows.at(-1)?.date !== AS_OF) continue;
      const recent = Number(rows.at(-1)?.active_users);
      const before = Number(rows.at(-9)?.active_users);
      if (before >= 10 && recent <= before * 0.6) drops += 1;
    }
    expect(drops).toBeGreaterThan(3);
  });

  it('makes losses follow the story: bad signs are far more common before a loss', () => {
    const lostAccounts = new Set(
      data.contracts.filter((c) => c.status === 'churned').map((c) => c.account_id!),
    );
    const warning = new Set<string>();
    for (const s of data.stakeholders) if (s.role === 'champion' && s.left_on) warning.add(s.account_id!);
    for (const s of data.signals) {
      if (['competitor_evaluation', 'budget_freeze', 'acquisition', 'leadership_change'].includes(s.kind!)) {
        warning.add(s.account_id!);
      }
    }
    const share = (ids: string[]) => ids.filter((id) => warning.has(id)).length / ids.length;
    const lost = [...lostAccounts];
    const others = data.accounts.map((a) => a.account_id!).filter((id) => !lostAccounts.has(id));
    expect(share(lost)).toBeGreaterThan(share(others) * 2);
  });
});

describe('generateDemo: options and names', () => {
  it('rejects invalid options with a coded error', async () => {
    await expect(
      generateDemo({ accounts: 1, seed: 1, asOf: '2026-02-30', outputDir: join(workDir, 'bad') }),
    ).rejects.toBeInstanceOf(DemoOptionsError);
    await expect(
      generateDemo({ accounts: -1, seed: 1, asOf: AS_OF, outputDir: join(workDir, 'bad') }),
    ).rejects.toMatchObject({ code: 'demo_invalid_options' });
  });

  it('gives every account of a 100K portfolio a distinct company name', () => {
    const names = new Set<string>();
    for (let index = 0; index < 102_400; index++) names.add(demoCompanyBaseName(index, 7));
    expect(names.size).toBe(102_400);
  });
});
