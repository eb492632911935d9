/** One renewal with everything a CSM opens it for: tasks, alerts, stakeholders, health drivers. */
import type { SqlSession } from '../../store/store.ts';
import { findRenewal, type RenewalView, toRenewalView } from './renewal-view.ts';
import { TASK_COLUMNS, type TaskRow, type TaskView, toTaskView } from './task-view.ts';

export type AlertView = {
  id: number;
  key: string;
  kind: string;
  severity: string;
  recipientRole: string;
  recipientUserId: string | null;
  message: string;
  createdOn: string;
};

export type StakeholderView = {
  stakeholderId: string;
  name: string;
  email: string | null;
  role: string;
  strength: string | null;
  stance: string | null;
  lastContactOn: string | null;
  leftOn: string | null;
};

export type HealthDriver = { factor: string; impact: number; detail: string };

export type RenewalDetail = RenewalView & {
  tasks: TaskView[];
  alerts: AlertView[];
  stakeholders: StakeholderView[];
  healthDrivers: HealthDriver[];
};

export async function listStakeholders(
  session: SqlSession,
  tenantId: string,
  accountId: string,
): Promise<StakeholderView[]> {
  const rows = await session.query<{
    stakeholder_id: string;
    name: string;
    email: string | null;
    role: string;
    strength: string | null;
    stance: string | null;
    last_contact_on: string | null;
    left_on: string | null;
  }>(
    `SELECT stakeholder_id, name, email, role, strength, stance, last_contact_on, left_on FROM stakeholders
      WHERE tenant_id = $1 AND account_id = $2 ORDER BY stakeholder_id`,
    [tenantId, accountId],
  );
  return rows.map((row) => ({
    stakeholderId: row.stakeholder_id,
    name: row.name,
    email: row.email,
    role: row.role,
    strength: row.strength,
    stance: row.stance,
    lastContactOn: row.last_contact_on,
    leftOn: row.left_on,
  }));
}

export async function latestHealthDrivers(
  session: SqlSession,
  tenantId: string,
  accountId: string,
): Promise<HealthDriver[]> {
  const [row] = await session.query<{ drivers: HealthDriver[] }>(
    `SELECT drivers FROM health_snapshots WHERE tenant_id = $1 AND account_id = $2 ORDER BY as_of DESC LIMIT 1`,
    [tenantId, accountId],
  );
  return Array.isArray(row?.drivers) ? row.drivers : [];
}

export async function getRenewal(
  session: SqlSession,
  tenantId: string,
  contractId: string,
): Promise<RenewalDetail | null> {
  const row = await findRenewal(session, tenantId, contractId);
  if (!row) return null;
  const tasks = await session.query<TaskRow>(
    `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.tenant_id = $1 AND t.contract_id = $2 ORDER BY t.due_date, t.id`,
    [tenantId, contractId],
  );
  const alerts = await session.query<{
    id: number;
    key: string;
    kind: string;
    severity: string;
    recipient_role: string;
    recipient_user_id: string | null;
    message: string;
    created_on: string;
  }>(
    `SELECT id, key, kind, severity, recipient_role, recipient_user_id, message, created_on FROM alerts
      WHERE tenant_id = $1 AND contract_id = $2 ORDER BY created_on DESC, id DESC`,
    [tenantId, contractId],
  );
  return {
    ...toRenewalView(row),
    tasks: tasks.map(toTaskView),
    alerts: alerts.map((alert) => ({
      id: Number(alert.id),
      key: alert.key,
      kind: alert.kind,
      severity: alert.severity,
      recipientRole: alert.recipient_role,
      recipientUserId: alert.recipient_user_id,
      message: alert.message,
      createdOn: alert.created_on,
    })),
    stakeholders: await listStakeholders(session, tenantId, row.account_id),
    healthDrivers: await latestHealthDrivers(session, tenantId, row.account_id),
  };
}
