/** Accounts with their health history and drivers, and contracts. Read-only: accounts come from imports. */
import { z } from 'zod';
import { ALL_ROLES } from '../../auth/roles.ts';
import {
  getAccount,
  getContract,
  listAccounts,
  listContracts,
  listHealthHistory,
} from '../../engine/queries/accounts.ts';
import { latestHealthDrivers, listStakeholders } from '../../engine/queries/get-renewal.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import { CalendarDateSchema, MoneySchema, PageQuerySchema, pageOf } from '../schemas.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { HealthDriverSchema, StakeholderSchema } from './renewal-schemas.ts';

const AccountSchema = z
  .object({
    accountId: z.string(),
    name: z.string(),
    industry: z.string().nullable(),
    country: z.string().nullable(),
    currency: z.string(),
    fiscalYearStartMonth: z.number().int(),
    segmentOverride: z.string().nullable(),
    strategic: z.boolean(),
    ownerCsm: z.string().nullable(),
    ownerSales: z.string().nullable(),
    timezone: z.string(),
    attributes: z.record(z.string(), z.string()),
    health: z.object({ score: z.number(), band: z.string(), asOf: z.string() }).nullable(),
  })
  .meta({ id: 'Account' });

const ContractSchema = z
  .object({
    contractId: z.string(),
    accountId: z.string(),
    startDate: z.string(),
    endDate: z.string(),
    arr: MoneySchema,
    seats: z.number().int().nullable(),
    autoRenew: z.boolean(),
    paymentOnFile: z.boolean(),
    noticeDays: z.number().int().nullable(),
    status: z.string(),
    previousContractId: z.string().nullable(),
  })
  .meta({ id: 'Contract' });

const HealthPointSchema = z
  .object({ asOf: z.string(), score: z.number(), band: z.string(), drivers: z.array(HealthDriverSchema) })
  .meta({ id: 'HealthPoint' });

const AccountParams = z.object({ accountId: z.string().min(1).max(200) });
const ContractParams = z.object({ contractId: z.string().min(1).max(200) });

export function registerAccountRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/accounts',
    {
      schema: {
        operationId: 'listAccounts',
        tags: ['accounts'],
        summary: 'Accounts by name, with their latest health',
        querystring: PageQuerySchema.extend({
          owner: z.string().max(200).optional().describe('csm or sales owner: a user id, or `me`'),
          band: z.enum(['green', 'yellow', 'red']).optional(),
          q: z.string().max(200).optional().describe('name contains'),
        }),
        response: { 200: pageOf(AccountSchema), ...problemResponses(400, 401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const principal = principalOf(request);
      const { cursor, limit, owner, ...filters } = request.query;
      return listAccounts({
        session: deps.store,
        tenantId: principal.tenantId,
        filters: { ...filters, ownerUserId: owner === 'me' ? principal.userId : owner },
        cursor: cursor ?? null,
        limit,
      });
    },
  );

  app.get(
    '/accounts/:accountId',
    {
      schema: {
        operationId: 'getAccount',
        tags: ['accounts'],
        summary: 'One account with its stakeholders and the drivers of its latest health score',
        params: AccountParams,
        response: {
          200: AccountSchema.extend({
            stakeholders: z.array(StakeholderSchema),
            healthDrivers: z.array(HealthDriverSchema),
          }),
          ...problemResponses(401, 403, 404),
        },
      },
      config: { access: allow(ALL_ROLES, 'read', { record: { kind: 'account', param: 'accountId' } }) },
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const account = await getAccount(deps.store, tenantId, request.params.accountId);
      if (!account) throw new ApiError('not_found');
      return {
        ...account,
        stakeholders: await listStakeholders(deps.store, tenantId, account.accountId),
        healthDrivers: await latestHealthDrivers(deps.store, tenantId, account.accountId),
      };
    },
  );

  app.get(
    '/accounts/:accountId/health',
    {
      schema: {
        operationId: 'listAccountHealth',
        tags: ['accounts'],
        summary: 'Daily health history with drivers, newest first',
        params: AccountParams,
        querystring: PageQuerySchema.extend({ from: CalendarDateSchema.optional() }),
        response: { 200: pageOf(HealthPointSchema), ...problemResponses(400, 401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', { record: { kind: 'account', param: 'accountId' } }) },
    },
    async (request) =>
      listHealthHistory({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        accountId: request.params.accountId,
        from: request.query.from,
        cursor: request.query.cursor ?? null,
        limit: request.query.limit,
      }),
  );

  app.get(
    '/contracts',
    {
      schema: {
        operationId: 'listContracts',
        tags: ['contracts'],
        summary: 'Contracts by end date',
        querystring: PageQuerySchema.extend({
          accountId: z.string().max(200).optional(),
          status: z.enum(['active', 'renewed', 'churned', 'cancelled']).optional(),
          endFrom: CalendarDateSchema.optional(),
          endTo: CalendarDateSchema.optional(),
        }),
        response: { 200: pageOf(ContractSchema), ...problemResponses(400, 401, 403) },
      },
      config: { access: allow(ALL_ROLES, 'read') },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      return listContracts({
        session: deps.store,
        tenantId: principalOf(request).tenantId,
        filters,
        cursor: cursor ?? null,
        limit,
      });
    },
  );

  app.get(
    '/contracts/:contractId',
    {
      schema: {
        operationId: 'getContract',
        tags: ['contracts'],
        summary: 'One contract',
        params: ContractParams,
        response: { 200: ContractSchema, ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ALL_ROLES, 'read', { record: { kind: 'contract', param: 'contractId' } }) },
    },
    async (request) => {
      const contract = await getContract(
        deps.store,
        principalOf(request).tenantId,
        request.params.contractId,
      );
      if (!contract) throw new ApiError('not_found');
      return contract;
    },
  );
}
