/**
 * The forecast as the API serves it, cached per process with its serialised body. Building it reads
 * the tenant's whole history (every account, every dated record) — tens of seconds at 100K accounts
 * — so a document is kept until one of its inputs changes, and is built off the request path where
 * possible: at the end of the daily run (`warm-forecast.ts`) in the process that serves the API.
 *
 * Telling whether the inputs changed must itself be cheap, since every request asks. Three signals:
 * - **Writes through this process** (the API's own writes: a CSM call, a renewal edit, a close-out,
 *   a proposal step, a policy, a stakeholder) bump an in-memory version (`noteForecastInputsChanged`,
 *   from a hook in `forecast-routes.ts`) before their response is sent, so the next request rebuilds.
 * - **A cheap key**, read on every request, of what changes without this process knowing: the done
 *   imports (the only writer of usage, tickets, surveys and signals), the policy version, the daily
 *   runs, the newest `updated_at` of accounts, contracts and stakeholders (index-served by their
 *   `(tenant_id, updated_at)` indexes), and the users. Each part is an index probe or a small table.
 * - **The full fingerprint** of before, only where other processes write (PostgreSQL): a count/sum/max
 *   over the tenant's renewals (no index on their `updated_at`), contracts, accounts, stakeholders and
 *   users — whole-tenant scans, so it is read at most every `RECHECK_MS` per store and tenant, in the
 *   background while a verified copy is fresh, awaited once it is older than `MAX_UNVERIFIED_MS`. It
 *   catches renewal writes from other processes (another API process, a worker, a CLI close-out) and
 *   deletes, within seconds. PGlite is held by one process (the data-dir lock), so every writer is in
 *   this one and it is never read: there a scan runs on the process's only thread and would stall
 *   every request in flight.
 *
 * Requests for a key being built wait for that one build instead of starting their own. A failed build
 * is not kept: the next request tries again.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CalendarDate } from '../../domain/calendar.ts';
import type { Period } from '../../domain/forecast/periods.ts';
import type { SqlSession, Store } from '../../store/store.ts';
import { loadPolicy } from '../policy-store.ts';
import { buildForecast, type ForecastDocument } from './build-forecast.ts';
import { loadCsmCalls } from './forecast-renewals.ts';
import { loadStoreHistory } from './load-store-history.ts';
import { loadTenantModel } from './tenant-model.ts';

/** How long a full fingerprint is trusted before it is re-read in the background. */
export const RECHECK_MS = 5_000;
/** Past this age a request waits for the full fingerprint instead of serving what it has. */
export const MAX_UNVERIFIED_MS = 60_000;
const MAX_CACHED = 32;

export type SerializeForecast = (document: ForecastDocument) => string;

/** A cached forecast: the document, and its bodies serialised once (JSON, and gzip of that JSON). */
export type ServedForecast = {
  document: ForecastDocument;
  /** An entity tag of the inputs the document was built from. */
  etag: string;
  /** The serialised body (UTF-8); `serialize` runs once per document. */
  body: (serialize: SerializeForecast) => Buffer;
  /** The serialised body gzipped (compressed once per document). */
  gzipped: (serialize: SerializeForecast) => Buffer;
};

let apiSerializer: SerializeForecast | null = null;

/**
 * The API's response serializer, registered by its forecast route, so the warm-up also serialises and
 * compresses the body it builds (`warm-forecast.ts`): the first request then only sends bytes.
 */
export function registerForecastSerializer(serialize: SerializeForecast): void {
  apiSerializer = serialize;
}

export function registeredForecastSerializer(): SerializeForecast | null {
  return apiSerializer;
}

type Fingerprint = {
  value: string;
  /** The cheap key when it was read. */
  cheap: string;
  /** When it was read (ms); 0 while the first read is in flight. */
  readAt: number;
  reading: Promise<string> | null;
};

type StoreCache = {
  documents: Map<string, Promise<ServedForecast>>;
  fingerprints: Map<string, Fingerprint>;
  versions: Map<string, number>;
};

// Per store object: two stores in one process (tests, the bench) never share a document.
const caches = new WeakMap<SqlSession, StoreCache>();

function cacheOf(session: SqlSession): StoreCache {
  let cache = caches.get(session);
  if (!cache) {
    cache = { documents: new Map(), fingerprints: new Map(), versions: new Map() };
    caches.set(session, cache);
  }
  return cache;
}

/**
 * Marks a tenant's forecast inputs as changed by a write in this process: the next request rebuilds.
 * Without a tenant, every tenant's.
 */
export function noteForecastInputsChanged({
  session,
  tenantId,
}: {
  session: SqlSession;
  tenantId?: string;
}): void {
  const { versions, fingerprints } = cacheOf(session);
  const key = tenantId ?? '*';
  versions.set(key, (versions.get(key) ?? 0) + 1);
  // The write is in the full fingerprint too: read it again now rather than rebuild twice.
  if (tenantId) fingerprints.delete(tenantId);
  else fingerprints.clear();
}

async function cheapKey(session: SqlSession, tenantId: string): Promise<string> {
  const [row] = await session.query<Record<string, string | number | Date | null>>(
    `SELECT
       (SELECT concat_ws(':', count(*), max(id)) FROM import_runs WHERE tenant_id = $1 AND status = 'done') AS import,
       (SELECT max(version) FROM policies WHERE tenant_id = $1) AS policy,
       (SELECT concat_ws(':', count(*), max(as_of), max(finished_at)) FROM daily_runs WHERE tenant_id = $1) AS daily,
       (SELECT max(updated_at) FROM accounts WHERE tenant_id = $1) AS accounts,
       (SELECT max(updated_at) FROM contracts WHERE tenant_id = $1) AS contracts,
       (SELECT max(updated_at) FROM stakeholders WHERE tenant_id = $1) AS stakeholders,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM users WHERE tenant_id = $1) AS users`,
    [tenantId],
  );
  return JSON.stringify(row ?? null);
}

async function fullFingerprint(session: SqlSession, tenantId: string): Promise<string> {
  const [row] = await session.query<Record<string, string | number | null>>(
    `SELECT
       (SELECT concat_ws(':', count(*), max(id)) FROM import_runs WHERE tenant_id = $1 AND status = 'done') AS import,
       (SELECT max(version) FROM policies WHERE tenant_id = $1) AS policy,
       (SELECT concat_ws(':', count(*), sum(version), count(csm_category), max(updated_at))
          FROM renewals WHERE tenant_id = $1) AS renewals,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM contracts WHERE tenant_id = $1) AS contracts,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM accounts WHERE tenant_id = $1) AS accounts,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM stakeholders WHERE tenant_id = $1) AS stakeholders,
       (SELECT concat_ws(':', count(*), max(updated_at)) FROM users WHERE tenant_id = $1) AS users`,
    [tenantId],
  );
  return JSON.stringify(row ?? null);
}

/**
 * The full fingerprint, re-read at most every RECHECK_MS. Awaited when there is none, when it is older
 * than MAX_UNVERIFIED_MS, or when the cheap key moved since it was read (so one change is one rebuild,
 * not one for the cheap key and another when the background read catches up); otherwise the known one
 * is served and a stale one is refreshed in the background.
 */
async function verifiedFingerprint(
  session: SqlSession,
  tenantId: string,
  cheap: string,
  now: number,
): Promise<string> {
  const { fingerprints } = cacheOf(session);
  const known = fingerprints.get(tenantId);
  const read = (): Promise<string> => {
    const current = fingerprints.get(tenantId);
    if (current?.reading && current.cheap === cheap) return current.reading;
    const reading = fullFingerprint(session, tenantId).then(
      (value) => {
        if (fingerprints.get(tenantId)?.reading === reading)
          fingerprints.set(tenantId, { value, cheap, readAt: now, reading: null });
        return value;
      },
      (error: unknown) => {
        const stale = fingerprints.get(tenantId);
        if (stale?.reading === reading) stale.reading = null;
        throw error;
      },
    );
    fingerprints.set(tenantId, {
      value: current?.value ?? '',
      cheap,
      readAt: current?.readAt ?? 0,
      reading,
    });
    return reading;
  };
  if (!known || known.readAt === 0 || known.cheap !== cheap || now - known.readAt > MAX_UNVERIFIED_MS)
    return read();
  // Fresh enough to serve; refresh in the background so the next request sees another process's write.
  if (now - known.readAt > RECHECK_MS && !known.reading) read().catch(() => {});
  return known.value;
}

function served(document: ForecastDocument, etag: string): ServedForecast {
  let json: Buffer | null = null;
  let gz: Buffer | null = null;
  const body = (serialize: SerializeForecast): Buffer => {
    json ??= Buffer.from(serialize(document), 'utf8');
    return json;
  };
  return {
    document,
    etag,
    body,
    gzipped: (serialize) => {
      gz ??= gzipSync(body(serialize), { level: 6 });
      return gz;
    },
  };
}

async function buildServed({
  session,
  tenantId,
  asOf,
  period,
  etag,
}: {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  period: Period;
  etag: string;
}): Promise<ServedForecast> {
  const { policy } = await loadPolicy(session, tenantId);
  const history = await loadStoreHistory({ session, tenantId });
  const model = await loadTenantModel({ session, tenantId, policy, asOf });
  const csmCalls = await loadCsmCalls(session, tenantId);
  return served(buildForecast({ history, policy, asOf, period, model, csmCalls }), etag);
}

// In every entity tag: the in-memory versions restart at 0 with the process, so without it a body
// cached by a browser before a restart could match a key that no longer means the same data.
const PROCESS_TAG = randomBytes(4).toString('hex');

function etagOf(key: string): string {
  // FNV-1a over the key: short, and only compared for equality.
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `"f-${PROCESS_TAG}-${hash.toString(36)}-${key.length.toString(36)}"`;
}

export type ServeForecastOptions = {
  session: SqlSession;
  tenantId: string;
  asOf: CalendarDate;
  period: Period;
  /** The clock for the fingerprint's age (milliseconds); tests pass one. */
  now?: () => number;
  /**
   * Whether other processes may write the store, so the full fingerprint is needed. Default: unless
   * the session is a PGlite store (one process).
   */
  otherWriters?: boolean;
};

export async function serveForecast({
  session,
  tenantId,
  asOf,
  period,
  now = Date.now,
  otherWriters = (session as Partial<Store>).kind !== 'pglite',
}: ServeForecastOptions): Promise<ServedForecast> {
  const cache = cacheOf(session);
  const cheap = await cheapKey(session, tenantId);
  const full = otherWriters ? await verifiedFingerprint(session, tenantId, cheap, now()) : '';
  const versions = `${cache.versions.get(tenantId) ?? 0}:${cache.versions.get('*') ?? 0}`;
  const slot = [tenantId, asOf, JSON.stringify(period)].join('|');
  const key = [slot, versions, cheap, full].join('|');
  let forecast = cache.documents.get(key);
  if (!forecast) {
    const etag = etagOf(key);
    forecast = buildServed({ session, tenantId, asOf, period, etag });
    // One document per tenant, day and period: an older one is dropped (its waiters still get it).
    for (const other of cache.documents.keys()) {
      if (other.startsWith(`${slot}|`)) cache.documents.delete(other);
    }
    if (cache.documents.size >= MAX_CACHED) cache.documents.delete(cache.documents.keys().next().value!);
    cache.documents.set(key, forecast);
    forecast.catch(() => {
      if (cache.documents.get(key) === forecast) cache.documents.delete(key);
    });
  }
  return forecast;
}
