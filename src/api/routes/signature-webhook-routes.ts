/**
 * The e-signature provider webhook: `POST /signatures/webhook/:provider`. Providers cannot sign in,
 * so the request carries its own credential: `X-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw
 * body under the installation's signature-webhook secret, and `X-Signature-Timestamp` (epoch seconds
 * or ISO 8601) within five minutes of now. A bad signature is 401 and changes nothing; a replayed
 * event id is 200 `{ duplicate: true }` and changes nothing (docs/COMMERCIALS.md).
 */
import { z } from 'zod';
import { formatMinor } from '../../domain/money.ts';
import { acceptProposal, findProposalForAcceptance } from '../../engine/commercial/accept-proposal.ts';
import { applySignatureEvent, SignatureEventSchema } from '../../engine/commercial/apply-signature-event.ts';
import { CommercialError } from '../../engine/commercial/commercial-error.ts';
import {
  acceptanceLinkSecret,
  readAcceptanceToken,
  signatureWebhookSecret,
  verifyWebhookPayload,
} from '../../engine/commercial/commercial-secrets.ts';
import { publicRoute } from '../access-rule.ts';
import { ApiError, problemResponses } from '../problem.ts';
import type { ApiApp, ApiDeps } from '../types.ts';

/** The largest clock difference accepted between the provider's timestamp and now. */
export const SIGNATURE_SKEW_MS = 5 * 60_000;

function timestampOf(header: string | undefined): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d{1,13}$/.test(value)) return Number(value) * (value.length > 11 ? 1 : 1000);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

export function registerSignatureWebhookRoutes(app: ApiApp, deps: ApiDeps): void {
  registerAcceptanceRoutes(app, deps);
  const secret = signatureWebhookSecret(deps.config);
  // The HMAC is over the exact bytes received, so this route (in its own encapsulated context)
  // takes JSON as a string and parses it after the signature checks.
  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      '/signatures/webhook/:provider',
      {
        schema: {
          operationId: 'signatureWebhook',
          tags: ['signatures'],
          summary: 'E-signature provider events (sent, viewed, signed, declined, expired), HMAC-signed',
          params: z.object({ provider: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/) }),
          response: {
            200: z.object({
              duplicate: z.boolean(),
              type: z.string().optional(),
              effect: z.string().optional(),
              signatureId: z.number().optional(),
              proposalId: z.number().optional(),
              nextContractId: z.string().optional(),
            }),
            ...problemResponses(400, 401, 404, 409, 422),
          },
        },
        config: {
          access: publicRoute(
            'e-signature providers cannot sign in; the HMAC of the raw body under the installation secret is the credential',
          ),
        },
      },
      async (request) => {
        const { provider } = request.params as { provider: string };
        const raw = typeof request.body === 'string' ? request.body : '';
        const header = request.headers['x-signature'];
        if (!verifyWebhookPayload(secret, raw, Array.isArray(header) ? header[0] : header)) {
          throw new ApiError('unauthenticated', 'missing or wrong X-Signature');
        }
        const stampHeader = request.headers['x-signature-timestamp'];
        const stamp = timestampOf(Array.isArray(stampHeader) ? stampHeader[0] : stampHeader);
        if (stamp === null || Math.abs(deps.now().getTime() - stamp) > SIGNATURE_SKEW_MS) {
          throw new ApiError(
            'unauthenticated',
            'X-Signature-Timestamp is missing or more than 5 minutes off',
          );
        }
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw new ApiError('invalid_request', 'the body is not JSON');
        }
        const parsed = SignatureEventSchema.safeParse(json);
        if (!parsed.success) {
          throw new ApiError('invalid_request', parsed.error.issues.map((issue) => issue.message).join('; '));
        }
        try {
          const result = await applySignatureEvent({ store: deps.store, provider, event: parsed.data });
          deps.log.info({ event: 'signature_webhook', provider, ...result }, 'signature event');
          return result;
        } catch (error) {
          if (error instanceof CommercialError) {
            const code =
              error.code === 'signature_not_found'
                ? 'not_found'
                : error.code === 'conflict'
                  ? 'version_conflict'
                  : 'invalid_value';
            throw new ApiError(code, error.message, { reason: error.code });
          }
          throw error;
        }
      },
    );
  });
}

const AcceptParams = z.object({ token: z.string().min(10).max(300) });

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">
<h1 style="font-size:1.4rem">${esc(title)}</h1>${body}</body></html>`;
}
const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One-click acceptance links (`GET` shows the offer and asks to confirm; only `POST` accepts). */
export function registerAcceptanceRoutes(app: ApiApp, deps: ApiDeps): void {
  const secret = acceptanceLinkSecret(deps.config);
  const read = (token: string) => readAcceptanceToken(secret, token, deps.now());
  const refused = (problem: 'invalid' | 'expired') =>
    page(
      problem === 'expired' ? 'This link has expired' : 'This link is not valid',
      '<p>Please contact your account manager for a new renewal link.</p>',
    );

  app.get(
    '/accept/:token',
    {
      schema: {
        operationId: 'showAcceptance',
        tags: ['customer links'],
        summary: 'The page behind a one-click renewal link: shows the offer and asks to confirm',
        params: AcceptParams,
      },
      config: {
        access: publicRoute(
          'customers follow this link from the renewal proposal; the signed, expiring token is the credential',
        ),
      },
    },
    async (request, reply) => {
      const named = read((request.params as { token: string }).token);
      reply.type('text/html; charset=utf-8');
      if (!named.ok) return reply.code(named.problem === 'expired' ? 410 : 400).send(refused(named.problem));
      const record = await findProposalForAcceptance(deps.store, named.proposalId).catch(() => null);
      if (!record) return reply.code(404).send(refused('invalid'));
      const chosen = record.terms.chosen;
      const amounts = chosen.years
        .map(
          (year) =>
            `<li>Year ${year.year}: ${esc(formatMinor(year.amountMinor, record.currency))} ${esc(record.currency)}</li>`,
        )
        .join('');
      if (record.status === 'signed') {
        return reply.send(page('Already accepted', '<p>Thank you — this renewal is already accepted.</p>'));
      }
      return reply.send(
        page(
          `Renew ${record.terms.account.name}`,
          `<p>${esc(chosen.label)} — ${chosen.termYears} year(s), renewing contract ${esc(record.contractId)}.</p><ul>${amounts}</ul>
<form method="post"><button type="submit">Accept the renewal</button></form>`,
        ),
      );
    },
  );

  app.post(
    '/accept/:token',
    {
      schema: {
        operationId: 'accept',
        tags: ['customer links'],
        summary: 'Accept the renewal (signs as the customer; closes the renewal won)',
        params: AcceptParams,
        response: {
          200: z.string().describe('an HTML confirmation page'),
          ...problemResponses(400, 404, 422),
        },
      },
      config: {
        access: publicRoute(
          'one-click acceptance from the renewal proposal; the signed, expiring token is the credential',
        ),
      },
    },
    async (request, reply) => {
      const named = read((request.params as { token: string }).token);
      if (!named.ok) {
        throw new ApiError(
          'invalid_request',
          named.problem === 'expired' ? 'This link has expired' : 'This link is not valid',
        );
      }
      try {
        const signed = await acceptProposal({
          store: deps.store,
          proposalId: named.proposalId,
          at: deps.now().toISOString(),
          signerIp: request.ip,
        });
        reply.type('text/html; charset=utf-8');
        return reply.send(
          page(
            'Thank you',
            `<p>Your renewal is accepted${signed.alreadySigned ? ' (it already was)' : ''}. The new term starts on ${esc(signed.nextTerm.startDate)}.</p>`,
          ),
        );
      } catch (error) {
        if (error instanceof CommercialError) {
          throw new ApiError(
            error.code.endsWith('not_found') ? 'not_found' : 'invalid_value',
            error.message,
            {
              reason: error.code,
            },
          );
        }
        throw error;
      }
    },
  );
}
