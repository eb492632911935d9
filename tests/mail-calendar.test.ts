/** The per-user ICS feed on a real store: the user's open tasks and their renewals' milestones. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import { CalendarError, renderCalendar } from '../src/mail/render-calendar.ts';
import { writeCsvSet } from './support/csv-fixture.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

let testStore: TestStore;
const tenantId = 'cal';

beforeAll(async () => {
  testStore = await openTestStore();
  await importFiles({ store: testStore.store, tenantId, inputs: [await writeCsvSet()] });
  await runDay({ store: testStore.store, tenantId, asOf: '2026-11-23' });
});
afterAll(async () => {
  await testStore?.close();
});

/** Unfolds an ICS document into its VEVENTs as property maps. */
function events(ics: string): Map<string, string>[] {
  const lines = ics.replace(/\r\n /g, '').split('\r\n');
  const result: Map<string, string>[] = [];
  let current: Map<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = new Map();
    else if (line === 'END:VEVENT' && current) {
      result.push(current);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return result;
}

describe('renderCalendar', () => {
  it('lists open tasks and the milestones of renewals the user owns as all-day events', async () => {
    const { store } = testStore;
    const owned = await store.query<{ owner_user_id: string; contract_id: string; due_date: string }>(
      "SELECT owner_user_id, contract_id, due_date FROM renewals WHERE tenant_id = $1 AND outcome = 'pending' AND owner_user_id IS NOT NULL",
      [tenantId],
    );
    expect(owned.length).toBeGreaterThan(0);
    const { owner_user_id: userId, contract_id: contractId, due_date: dueDate } = owned[0]!;
    const ics = await renderCalendar({
      store,
      tenantId,
      userId,
      from: '2026-11-01',
      to: '2027-12-31',
      now: new Date('2026-11-23T08:00:00Z'),
    });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
    for (const line of ics.split('\r\n'))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);

    const all = events(ics);
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((e) => e.get('UID'))).size).toBe(all.length);
    for (const event of all) {
      expect(event.get('DTSTART;VALUE=DATE')).toMatch(/^\d{8}$/);
      expect(event.get('DTEND;VALUE=DATE')).toMatch(/^\d{8}$/);
      expect(event.get('DTSTAMP')).toBe('20261123T080000Z');
      expect(event.get('TRANSP')).toBe('TRANSPARENT');
    }
    // The renewal's T-0 is there, on its due date.
    const t0 = all.find((e) => e.get('SUMMARY')?.endsWith('renewal due (T-0)'));
    expect(t0?.get('DTSTART;VALUE=DATE')).toBe(dueDate.replaceAll('-', ''));
    expect(t0?.get('DESCRIPTION')).toContain(`contract ${contractId}`);
    // Every open task of the user in the range, once.
    const tasks = await store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM tasks WHERE tenant_id = $1 AND owner_user_id = $2 AND status = 'open' AND due_date >= '2026-11-01'",
      [tenantId, userId],
    );
    expect(all.filter((e) => e.get('CATEGORIES') === 'Perennial,Task')).toHaveLength(tasks[0]!.n);
  });

  it('escapes commas and semicolons in names (Berlin Schulen, e.V.) and includes the notice deadline', async () => {
    const { store } = testStore;
    // Give every renewal to one user so all three accounts appear.
    await store.execute("UPDATE renewals SET owner_user_id = 'U-2' WHERE tenant_id = $1", [tenantId]);
    await store.execute(
      "UPDATE renewals SET segment = 'mid_market', motion = 'assisted', owner_role = 'csm' WHERE tenant_id = $1 AND segment IS NULL",
      [tenantId],
    );
    await store.execute(
      `INSERT INTO renewals (tenant_id, contract_id, account_id, segment, motion, owner_role, owner_user_id, due_date)
       VALUES ($1, 'C-3', 'A-3', 'mid_market', 'assisted', 'csm', 'U-2', '2027-08-31') ON CONFLICT DO NOTHING`,
      [tenantId],
    );
    const ics = await renderCalendar({
      store,
      tenantId,
      userId: 'U-2',
      from: '2026-11-01',
      to: '2027-12-31',
    });
    const summaries = events(ics).map((e) => e.get('SUMMARY') ?? '');
    expect(summaries).toContain('Berlin Schulen\\, e.V.: renewal due (T-0)');
    // C-2 auto-renews with 60 days' notice: its last day to cancel is 2027-01-30.
    const notice = events(ics).find(
      (e) => e.get('SUMMARY') === 'Kobe Tax KK: notice deadline (last day to cancel)',
    );
    expect(notice?.get('DTSTART;VALUE=DATE')).toBe('20270130');
    expect(notice?.get('DTEND;VALUE=DATE')).toBe('20270131');
  });

  it('rejects an unknown user', async () => {
    await expect(
      renderCalendar({
        store: testStore.store,
        tenantId,
        userId: 'nobody',
        from: '2026-11-01',
        to: '2026-12-31',
      }),
    ).rejects.toBeInstanceOf(CalendarError);
  });
});
