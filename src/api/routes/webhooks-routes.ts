/** Webhook subscriptions (admin). Deliveries are signed with the secret shown once at creation. */
import { z } from 'zod';
import { ADMIN_ONLY } from '../../auth/roles.ts';
import { WEBHOOK_EVENTS } from '../../engine/queries/webhook-events.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  updateWebhook,
} from '../../engine/queries/webhook-subscriptions.ts';
import { allow } from '../access-rule.ts';
import { principalOf } from '../authorize.ts';
import { ApiError, problemResponses } from '../problem.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

const WebhookSchema = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Webhook' });

const Url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('where deliveries are POSTed (https strongly recommended)');
const Events = z.array(z.enum(WEBHOOK_EVENTS)).min(1);
const Params = z.object({ webhookId: z.string().regex(/^\d{1,18}$/, 'a webhook id') });
const webhookRecord = { record: { kind: 'webhook' as const, param: 'webhookId' } };

export function registerWebhookRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        tags: ['webhooks'],
        summary: 'Webhook subscriptions',
        response: { 200: z.object({ items: z.array(WebhookSchema) }), ...problemResponses(401, 403) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin') },
    },
    async (request) => ({ items: await listWebhooks(deps.store, principalOf(request).tenantId) }),
  );

  app.post(
    '/webhooks',
    {
      schema: {
        operationId: 'createWebhook',
        tags: ['webhooks'],
        summary: 'Subscribe a URL to events; the signing secret is in this response only',
        body: z.strictObject({ url: Url, events: Events }),
        response: {
          201: WebhookSchema.extend({ secret: z.string().describe('HMAC-SHA256 key; shown once') }),
          ...problemResponses(400, 401, 403),
        },
      },
      config: { access: allow(ADMIN_ONLY, 'admin') },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { webhook, secret } = await createWebhook({
        store: deps.store,
        tenantId: principal.tenantId,
        url: request.body.url,
        events: request.body.events,
        actor: principal.userId,
        now: deps.now(),
      });
      return reply.status(201).send({ ...webhook, secret });
    },
  );

  app.get(
    '/webhooks/:webhookId',
    {
      schema: {
        operationId: 'getWebhook',
        tags: ['webhooks'],
        summary: 'One subscription',
        params: Params,
        response: { 200: WebhookSchema, ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin', webhookRecord) },
    },
    async (request) => {
      const webhook = await getWebhook(
        deps.store,
        principalOf(request).tenantId,
        Number(request.params.webhookId),
      );
      if (!webhook) throw new ApiError('not_found');
      return webhook;
    },
  );

  app.patch(
    '/webhooks/:webhookId',
    {
      schema: {
        operationId: 'updateWebhook',
        tags: ['webhooks'],
        summary: 'Change URL, events, or pause (active=false)',
        params: Params,
        body: z.strictObject({
          url: Url.optional(),
          events: Events.optional(),
          active: z.boolean().optional(),
        }),
        response: { 200: WebhookSchema, ...problemResponses(400, 401, 403, 404) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin', webhookRecord) },
    },
    async (request) => {
      const principal = principalOf(request);
      return updateWebhook({
        store: deps.store,
        tenantId: principal.tenantId,
        id: Number(request.params.webhookId),
        changes: request.body,
        actor: principal.userId,
        now: deps.now(),
      });
    },
  );

  app.delete(
    '/webhooks/:webhookId',
    {
      schema: {
        operationId: 'deleteWebhook',
        tags: ['webhooks'],
        summary: 'Remove a subscription (queued deliveries stay in the outbox)',
        params: Params,
        response: { 204: z.null(), ...problemResponses(401, 403, 404) },
      },
      config: { access: allow(ADMIN_ONLY, 'admin', webhookRecord) },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await deleteWebhook({
        store: deps.store,
        tenantId: principal.tenantId,
        id: Number(request.params.webhookId),
        actor: principal.userId,
        now: deps.now(),
      });
      return reply.status(204).send(null);
    },
  );
}
