/** Zod schemas of renewals, tasks and the records a renewal detail carries. */
import { z } from 'zod';
import { FORECAST_CATEGORIES } from '../../domain/forecast/categorize-forecast.ts';
import { MoneySchema } from '../schemas.ts';

export const TaskSchema = z
  .object({
    id: z.number().int(),
    contractId: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    key: z.string(),
    milestone: z.string(),
    title: z.string(),
    ownerRole: z.string(),
    ownerUserId: z.string().nullable(),
    dueDate: z.string(),
    estimateHours: z.number().nullable().describe('hours planned for the step by the playbook, if any'),
    spentHours: z
      .number()
      .nullable()
      .describe('hours the team logged when completing the task (POST …/complete spentHours); null if none'),
    status: z.string().describe('open | done | skipped'),
    createdOn: z.string(),
    completedOn: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Task' });

export const RenewalSchema = z
  .object({
    contractId: z.string(),
    accountId: z.string(),
    accountName: z.string(),
    dueDate: z.string(),
    arr: MoneySchema,
    segment: z.string().nullable(),
    type: z.string().nullable(),
    motion: z.string().nullable(),
    stage: z.string().nullable(),
    outcome: z.string().describe('pending | won | lost'),
    closedOn: z.string().nullable(),
    owner: z.object({
      role: z.string().nullable(),
      userId: z.string().nullable(),
      rule: z.string().nullable(),
      manual: z.boolean().describe('a person assigned this owner; the daily run keeps it'),
    }),
    accountOwners: z.object({ csm: z.string().nullable(), sales: z.string().nullable() }),
    executiveEngagement: z.boolean().nullable(),
    health: z.object({ score: z.number().nullable(), band: z.string().nullable() }),
    riskFlags: z.array(z.string()),
    atRiskSince: z.string().nullable(),
    probability: z.number().nullable(),
    earlyQualified: z.boolean().nullable(),
    evaluatedOn: z.string().nullable(),
    forecast: z.object({
      modelCategory: z.string().nullable(),
      csmCategory: z.string().nullable(),
      csmCategoryBy: z.string().nullable(),
      csmCategoryAt: z.string().nullable(),
      csmNote: z.string().nullable(),
      category: z.string().nullable().describe('the CSM’s call when recorded, else the model’s'),
    }),
    renewedArr: MoneySchema.nullable(),
    termYears: z.number().int().nullable(),
    reasons: z.array(z.string()),
    competitor: z.string().nullable(),
    signedDaysEarly: z.number().int().nullable(),
    closeOutcome: z
      .string()
      .nullable()
      .describe('won | lost | downgraded | churned, as closed by hand (null while open)'),
    lessons: z.string().nullable(),
    version: z.number().int().describe('send back as If-Match (or version) when changing the renewal'),
    updatedAt: z.string(),
  })
  .meta({ id: 'Renewal' });

export const AlertSchema = z
  .object({
    id: z.number().int(),
    key: z.string(),
    kind: z.string(),
    severity: z.string(),
    recipientRole: z.string(),
    recipientUserId: z.string().nullable(),
    message: z.string(),
    createdOn: z.string(),
  })
  .meta({ id: 'Alert' });

export const StakeholderSchema = z
  .object({
    stakeholderId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.string(),
    strength: z.string().nullable(),
    stance: z.string().nullable(),
    lastContactOn: z.string().nullable(),
    leftOn: z.string().nullable(),
  })
  .meta({ id: 'Stakeholder' });

export const HealthDriverSchema = z
  .object({ factor: z.string(), impact: z.number(), detail: z.string() })
  .meta({ id: 'HealthDriver' });

export const RenewalDetailSchema = RenewalSchema.extend({
  tasks: z.array(TaskSchema),
  alerts: z.array(AlertSchema),
  stakeholders: z.array(StakeholderSchema),
  healthDrivers: z.array(HealthDriverSchema),
}).meta({ id: 'RenewalDetail' });

const Stage = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a stage key: lowercase letters, digits and _')
  .describe('e.g. prep, value_review, proposal, negotiation, verbal_commit, contract_sent, closed_won');

export const RenewalPatchSchema = z
  .looseObject({
    version: z.number().int().min(1).optional().describe('the version you read, unless sent as If-Match'),
    stage: Stage.nullable().optional(),
    outcome: z.enum(['pending', 'won', 'lost']).optional(),
    closedOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable()
      .optional(),
    reasons: z.array(z.string().min(1).max(100)).max(20).optional(),
    competitor: z.string().max(200).nullable().optional(),
    termYears: z.number().int().min(1).max(10).nullable().optional(),
    renewedArr: z
      .string()
      .regex(/^\d{1,15}(\.\d{1,4})?$/, 'a decimal amount')
      .nullable()
      .optional()
      .describe('booked ARR of the renewal (admin, manager)'),
    csmCategory: z.enum(FORECAST_CATEGORIES).nullable().optional().describe('the CSM’s forecast call'),
    csmNote: z.string().max(2000).nullable().optional(),
    ownerUserId: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .describe(
        'reassign (admin, manager); sticks across daily runs; null returns the renewal to the routing rules',
      ),
  })
  .describe(
    'Only the fields to change. Unknown fields are refused (400); fields your role may not write are refused (403) and nothing changes.',
  )
  .meta({ id: 'RenewalPatch' });
