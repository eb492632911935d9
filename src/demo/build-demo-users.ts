/**
 * The demo vendor's own people: a small leadership group plus one "renewal pod" (a manager with
 * three CSMs, two sales reps and a renewal specialist) per {@link ACCOUNTS_PER_POD} accounts. Pods
 * are numbered in account order, so account i's owners never depend on how many accounts exist.
 */
import type { UserRecord, UserRole } from '../domain/records.ts';
import { deriveSeed } from './random.ts';
import { STAFF_FIRST_NAMES, STAFF_LAST_NAMES } from './vocabulary.ts';

export const ACCOUNTS_PER_POD = 200;

const LEADERSHIP: readonly { role: UserRole; managerNumber: number | null }[] = [
  { role: 'admin', managerNumber: null },
  { role: 'executive', managerNumber: null }, // VP Customer Success: pod managers report here
  { role: 'executive', managerNumber: null }, // Chief Revenue Officer
  { role: 'finance', managerNumber: 3 },
  { role: 'finance', managerNumber: 4 },
  { role: 'viewer', managerNumber: 2 }, // RevOps analyst
];

const POD_ROLES: readonly UserRole[] = ['manager', 'csm', 'csm', 'csm', 'sales', 'sales', 'specialist'];

export type DemoPodTeam = {
  managerId: string;
  csmIds: readonly string[];
  salesIds: readonly string[];
  specialistId: string;
};

export function demoUserId(userNumber: number): string {
  return `U-${String(userNumber).padStart(3, '0')}`;
}

export function demoPodCount(accounts: number): number {
  return Math.max(1, Math.ceil(accounts / ACCOUNTS_PER_POD));
}

function podFirstNumber(pod: number): number {
  return LEADERSHIP.length + 1 + pod * POD_ROLES.length;
}

/** The team that owns the accounts of pod `pod` (accounts `pod*200 .. pod*200+199`). */
export function demoPodTeam(pod: number): DemoPodTeam {
  const first = podFirstNumber(pod);
  return {
    managerId: demoUserId(first),
    csmIds: [demoUserId(first + 1), demoUserId(first + 2), demoUserId(first + 3)],
    salesIds: [demoUserId(first + 4), demoUserId(first + 5)],
    specialistId: demoUserId(first + 6),
  };
}

/** Lower-case ASCII for e-mail local parts and domains ("Zoë O'Brien" → "zoeobrien"). */
export function asciiSlug(text: string, separator = ''): string {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return words.join(separator);
}

const NAME_COMBINATIONS = STAFF_FIRST_NAMES.length * STAFF_LAST_NAMES.length;

function staffName(userNumber: number, seed: number): { first: string; last: string; round: number } {
  // An odd multiplier is a bijection modulo 4096 (= 64 × 64), so names are unique per user number.
  const offset = deriveSeed(seed, 0x5eed) % NAME_COMBINATIONS;
  const slot = (userNumber * 2_731 + offset) % NAME_COMBINATIONS;
  const first = STAFF_FIRST_NAMES[slot % STAFF_FIRST_NAMES.length] ?? 'Alex';
  const last = STAFF_LAST_NAMES[Math.floor(slot / STAFF_FIRST_NAMES.length)] ?? 'Reed';
  return { first, last, round: Math.floor(userNumber / NAME_COMBINATIONS) };
}

export type BuildDemoUsersOptions = { accounts: number; seed: number; tenantName: string };

export function buildDemoUsers({ accounts, seed, tenantName }: BuildDemoUsersOptions): UserRecord[] {
  const domain = `${asciiSlug(tenantName, '-') || 'vendor'}.com`;
  const users: UserRecord[] = [];
  const add = (userNumber: number, role: UserRole, managerId: string | null) => {
    const { first, last, round } = staffName(userNumber, seed);
    const suffix = round > 0 ? String(round + 1) : '';
    users.push({
      userId: demoUserId(userNumber),
      name: `${first} ${last}${suffix ? ` ${suffix}` : ''}`,
      email: `${asciiSlug(first)}.${asciiSlug(last)}${suffix}@${domain}`,
      role,
      managerId,
    });
  };
  LEADERSHIP.forEach(({ role, managerNumber }, index) => {
    add(index + 1, role, managerNumber === null ? null : demoUserId(managerNumber));
  });
  const pods = demoPodCount(accounts);
  for (let pod = 0; pod < pods; pod++) {
    const first = podFirstNumber(pod);
    POD_ROLES.forEach((role, offset) => {
      add(first + offset, role, role === 'manager' ? demoUserId(2) : demoUserId(first));
    });
  }
  return users;
}
