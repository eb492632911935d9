/**
 * What the daily run must respect and announce: a manager's reassignment of a renewal sticks across
 * runs (until handed back to the routing rules), and subscribers hear `renewal.at_risk` and
 * `health.band_changed` once per occurrence, however often the day is re-run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../src/demo/generate-demo.ts';
import { addDays } from '../src/domain/calendar.ts';
import { updateRenewal } from '../src/engine/queries/update-renewal.ts';
import { runDay } from '../src/engine/run-daily.ts';
import { importFiles } from '../src/import/import-files.ts';
import type { Store } from '../src/store/store.ts';
import { openTestStore, type TestStore } from './support/test-store.ts';

const asOf = '2026-11-23';
const NOW = new Date('2026-11-23T10:00:00Z');

type Owned = {
  contract_id: string;
  owner_user_id: string | null;
  owner_rule: string | null;
  version: number;
};

async function renewal(store: Store, tenantId: string, contractId: string): Promise<Owned> {
  const [row] = await store.query<Owned>(
    'SELECT contract_id, owner_user_id, owner_rule, version FROM renewals WHERE tenant_id = $1 AND contract_id = $2',
    [tenantId, contractId],
  );
  return row!;
}

async function webhookEvents(store: Store, tenantId: string) {
  return store.query<{
    template: string;
    contract_id: string | null;
    payload: { data: Record<string, unknown> };
  }>(
    `SELECT template, contract_id, payload FROM outbox WHERE tenant_id = $1 AND kind = 'webhook' ORDER BY id`,
    [tenantId],
  );
}

describe('daily run: sticky owners and webhook events', () => {
  let dir: string;
  let testStore: TestStore;
  let seq = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'perennial-overrides-'));
    await generateDemo({ accounts: 60, seed: 5, asOf, outputDir: dir });
    testStore = await openTestStore();
  });
  afterAll(async () => {
    await testStore?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function freshTenant(): Promise<string> {
    seq += 1;
    const tenantId = `ov${seq}`;
    await importFiles({ store: testStore.store, tenantId, inputs: [dir] });
    await runDay({ store: testStore.store, tenantId, asOf });
    return tenantId;
  }

  it('keeps a reassigned owner across runs and hands back to routing when cleared', async () => {
    const { store } = testStore;
    const tenantId = await freshTenant();
    const [picked] = await store.query<{ contract_id: string; owner_user_id: string }>(
      `SELECT contract_id, owner_user_id FROM renewals
        WHERE tenant_id = $1 AND outcome = 'pending' AND owner_user_id IS NOT NULL ORDER BY contract_id LIMIT 1`,
      [tenantId],
    );
    const [other] = await store.query<{ user_id: string }>(
      `SELECT user_id FROM users WHERE tenant_id = $1 AND NOT disabled AND user_id <> $2 ORDER BY user_id LIMIT 1`,
      [tenantId, picked!.owner_user_id],
    );
    const routed = await renewal(store, tenantId, picked!.contract_id);

    const { renewal: reassigned } = await updateRenewal({
      store,
      tenantId,
      contractId: routed.contract_id,
      expectedVersion: routed.version,
      changes: { ownerUserId: other!.user_id },
      actor: 'manager-test',
      now: NOW,
    });
    expect(reassigned.owner).toMatchObject({ userId: other!.user_id, manual: true, rule: 'manual_override' });

    await runDay({ store, tenantId, asOf: addDays(asOf, 1) });
    await runDay({ store, tenantId, asOf: addDays(asOf, 2) });
    expect(await renewal(store, tenantId, routed.contract_id)).toMatchObject({
      owner_user_id: other!.user_id,
      owner_rule: 'manual_override',
    });

    const current = await renewal(store, tenantId, routed.contract_id);
    await updateRenewal({
      store,
      tenantId,
      contractId: routed.contract_id,
      expectedVersion: current.version,
      changes: { ownerUserId: null },
      actor: 'manager-test',
      now: NOW,
    });
    await runDay({ store, tenantId, asOf: addDays(asOf, 3) });
    expect(await renewal(store, tenantId, routed.contract_id)).toMatchObject({
      owner_user_id: routed.owner_user_id,
      owner_rule: routed.owner_rule,
    });
  });

  it('raises renewal.at_risk and health.band_changed once per occurrence, only for subscribers', async () => {
    const { store } = testStore;
    const tenantId = await freshTenant();
    const day = addDays(asOf, 1);
    const [atRisk] = await store.query<{ contract_id: string }>(
      `SELECT contract_id FROM renewals WHERE tenant_id = $1 AND outcome = 'pending' AND at_risk_since IS NOT NULL
        ORDER BY contract_id LIMIT 1`,
      [tenantId],
    );
    const [banded] = await store.query<{ account_id: string; band: string }>(
      `SELECT account_id, band FROM health_snapshots WHERE tenant_id = $1 AND as_of = $2 AND band <> 'green'
        ORDER BY account_id LIMIT 1`,
      [tenantId, asOf],
    );
    expect(atRisk).toBeDefined();
    expect(banded).toBeDefined();
    // Yesterday, as the store remembers it: this renewal was not at risk and this account was green.
    const rewindYesterday = async () => {
      await store.execute(
        'UPDATE renewals SET at_risk_since = NULL WHERE tenant_id = $1 AND contract_id = $2',
        [tenantId, atRisk!.contract_id],
      );
      await store.execute(
        `UPDATE health_snapshots SET band = 'green' WHERE tenant_id = $1 AND account_id = $2 AND as_of = $3`,
        [tenantId, banded!.account_id, asOf],
      );
    };

    await rewindYesterday();
    await runDay({ store, tenantId, asOf: day });
    expect(await webhookEvents(store, tenantId)).toEqual([]);

    await store.execute(
      `INSERT INTO webhooks (tenant_id, url, secret, events) VALUES ($1, 'https://hooks.example.com/p', 's3cret',
         ARRAY['renewal.at_risk', 'health.band_changed'])`,
      [tenantId],
    );
    await store.execute('DELETE FROM health_snapshots WHERE tenant_id = $1 AND as_of = $2', [tenantId, day]);
    await store.execute('DELETE FROM daily_runs WHERE tenant_id = $1 AND as_of = $2', [tenantId, day]);
    await rewindYesterday();
    await runDay({ store, tenantId, asOf: day });
    const events = await webhookEvents(store, tenantId);
    const atRiskEvents = events.filter((e) => e.template === 'renewal.at_risk');
    expect(atRiskEvents.map((e) => e.contract_id)).toContain(atRisk!.contract_id);
    const bandEvents = events.filter((e) => e.template === 'health.band_changed');
    expect(bandEvents.map((e) => e.payload.data)).toContainEqual(
      expect.objectContaining({ accountId: banded!.account_id, from: 'green', to: banded!.band, asOf: day }),
    );
    // Every band event names a real change.
    for (const event of bandEvents) expect(event.payload.data.from).not.toBe(event.payload.data.to);

    await runDay({ store, tenantId, asOf: day });
    expect(await webhookEvents(store, tenantId)).toHaveLength(events.length);
  });
});
