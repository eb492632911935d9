/**
 * Webhook deliveries (outbox kind `webhook`; recipient = URL, payload `{ webhookId, event, data }`):
 * a JSON POST signed with HMAC-SHA256 of the exact body under the subscription's secret.
 *
 * Headers: `X-Perennial-Signature: sha256=<hex>`, `X-Perennial-Event: <event>`,
 * `X-Perennial-Delivery: <idempotency key>` (the same on every retry of one message, so receivers can
 * drop repeats). The body is built from the outbox row alone, so a retry sends the same bytes.
 * 2xx is delivered; 408, 429, 5xx and network errors are retried; any other 4xx is permanent.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { headerValue } from './header-value.ts';
import { DeliveryError } from './mail-transport.ts';

export const WebhookPayload = z.object({
  webhookId: z.number().int(),
  event: z.string().min(1),
  data: z.unknown(),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export type PostWebhook = (url: string, init: RequestInit) => Promise<Response>;

export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookBody(idempotencyKey: string, payload: WebhookPayload): string {
  return JSON.stringify({ id: idempotencyKey, event: payload.event, data: payload.data ?? null });
}

export async function postWebhook({
  url,
  secret,
  idempotencyKey,
  payload,
  post = fetch,
  timeoutMs = 10_000,
}: {
  url: string;
  secret: string;
  idempotencyKey: string;
  payload: WebhookPayload;
  post?: PostWebhook;
  timeoutMs?: number;
}): Promise<{ response: string }> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new DeliveryError(`webhook URL ${JSON.stringify(url)} is not a URL`, true);
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    throw new DeliveryError(`webhook URL must be http(s), not ${target.protocol}`, true);
  const body = webhookBody(idempotencyKey, payload);
  let response: Response;
  try {
    response = await post(target.toString(), {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Perennial-Webhooks/1',
        'x-perennial-event': headerValue(payload.event),
        'x-perennial-delivery': headerValue(idempotencyKey),
        'x-perennial-signature': signWebhookBody(secret, body),
      },
    });
  } catch (error) {
    throw new DeliveryError(`webhook POST failed: ${headerValue((error as Error).message)}`, false);
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { response: `HTTP ${response.status}` };
  const transient = response.status === 408 || response.status === 429 || response.status >= 500;
  throw new DeliveryError(`webhook answered HTTP ${response.status}`, !transient);
}
